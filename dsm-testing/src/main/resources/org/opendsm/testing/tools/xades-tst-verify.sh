#!/bin/bash
# From shared/tooling.md (appendix A4).
# Verify the XAdES-T SignatureTimeStamp with openssl: imprint == H(exc-c14n(ds:SignatureValue)).
# Assumes prefix "ds", exclusive c14n, single-line base64 (DSS defaults). usage: xades-tst-verify.sh sig.xml root.pem
set -eu
xml=$1; ca=$2; tmp=$(mktemp -d)
tr -d '\n\r' < "$xml" > $tmp/x
grep -o '<xades:EncapsulatedTimeStamp[^>]*>[^<]*<' $tmp/x | sed -n 1p | sed -E 's/.*>([^<]*)</\1/' | base64 -d > $tmp/token.der
id=$(grep -o '<ds:SignatureValue Id="[^"]*">' $tmp/x | sed -E 's/.*Id="([^"]*)".*/\1/')
val=$(grep -o '<ds:SignatureValue[^>]*>[^<]*</ds:SignatureValue>' $tmp/x | sed -E 's/<[^>]*>([^<]*)<.*/\1/')
c14n="<ds:SignatureValue xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"$id\">$val</ds:SignatureValue>"
alg=$(openssl ts -reply -token_in -in $tmp/token.der -token_out -text 2>/dev/null | sed -n 's/^Hash Algorithm: *//p')
dig=$(printf '%s' "$c14n" | openssl dgst -$alg -r | cut -d' ' -f1)
openssl ts -reply -token_in -in $tmp/token.der -token_out -text 2>/dev/null | grep -E "^(Time stamp|Hash Algorithm):"
openssl ts -verify -token_in -in $tmp/token.der -digest $dig -CAfile "$ca" 2>&1 | grep -v "^Using configuration"
rm -rf $tmp
