#!/bin/bash
# From shared/tooling.md (appendix A3).
# Verify the signature-timestamp (CAdES-T / PAdES-T unsigned attr id-aa-timeStampToken) of the first SignerInfo
# in a DER CMS with openssl only: imprint == H(SignerInfo.signature), TSA signature, TSA chain to CA.
# usage: cms-tst-verify.sh sig.der root.pem
set -eu
cms=$1; ca=$2; tmp=$(mktemp -d)
openssl asn1parse -inform DER -in "$cms" > $tmp/a.txt
# line of the timeStampToken OID; token = the SEQUENCE two lines below (inside the SET)
n=$(grep -n ':id-smime-aa-timeStampToken' $tmp/a.txt | sed -n 1p | cut -d: -f1)
[ -n "$n" ] || { echo "no signature timestamp"; exit 3; }
read off hl l <<<"$(sed -n "$((n+2))p" $tmp/a.txt | sed -E 's/^ *([0-9]+):d=[0-9]+ +hl=([0-9]+) +l= *([0-9]+).*/\1 \2 \3/')"
tail -c +$((off+1)) "$cms" | head -c $((hl+l)) > $tmp/token.der
# SignerInfo.signature = the last OCTET STRING before the unsignedAttrs [1] that holds the token
sig=$(head -n $n $tmp/a.txt | grep 'prim: *OCTET STRING' | tail -1 | sed -E 's/.*HEX DUMP\]://')
alg=$(openssl ts -reply -token_in -in $tmp/token.der -text -token_out 2>/dev/null | sed -n 's/^Hash Algorithm: *//p')
dig=$(echo -n "$sig" | xxd -r -p | openssl dgst -$alg -r | cut -d' ' -f1)
openssl ts -reply -token_in -in $tmp/token.der -token_out -text 2>/dev/null | grep -E "^(Time stamp|TSA|Policy OID|Hash Algorithm):"
openssl ts -verify -token_in -in $tmp/token.der -digest $dig -CAfile "$ca" 2>&1 | grep -v "^Using configuration"
rm -rf $tmp
