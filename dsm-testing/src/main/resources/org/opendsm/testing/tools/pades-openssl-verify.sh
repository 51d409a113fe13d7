#!/bin/bash
# From shared/tooling.md (appendix A2): an independent PAdES check with openssl only.
# Independent PAdES check with openssl only, for EVERY /ByteRange in the file (file order):
#  - CMS signature (ETSI.CAdES.detached / adbe.pkcs7.detached): openssl cms -verify over the ByteRange bytes + chain to CA
#  - document timestamp (ETSI.RFC3161): openssl ts -verify, imprint over the ByteRange bytes + TSA chain to CA
#  - reports whether each ByteRange covers the whole file (only the last revision's should)
# usage: pades-openssl-verify.sh signed.pdf root.pem|- [dir-to-keep-cms]   exit 0 only if every signature verifies
#        root "-" = crypto only: CMS with -noverify; doc timestamps trust their own embedded TSA cert (-partial_chain)
set -uo pipefail
pdf=$1; ca=$2; keep=${3:-}; tmp=$(mktemp -d); size=$(stat -c %s "$pdf"); rc=0; i=0
while read -r a b c d; do
  i=$((i+1))
  dd if="$pdf" of=$tmp/signed.bin bs=1M iflag=skip_bytes,count_bytes skip=$a count=$b status=none
  dd if="$pdf" bs=1M iflag=skip_bytes,count_bytes skip=$c count=$d status=none >> $tmp/signed.bin
  # /Contents <hex> fills the gap between the two ranges: drop '<' '>' and the zero padding after the DER
  dd if="$pdf" bs=1M iflag=skip_bytes,count_bytes skip=$((a+b)) count=$((c-a-b)) status=none | tr -d '<>\n\r ' | xxd -r -p > $tmp/cms.padded
  len=$( (openssl asn1parse -inform DER -in $tmp/cms.padded 2>/dev/null || true) | sed -n 1p | sed -E 's/.*hl= *([0-9]+) l= *([0-9]+).*/\1 \2/' | awk '{print $1+$2}')
  # definite-length DER: cut the padding; BER indefinite length (NSS/poppler "30 80 ..."): openssl ignores the trailing zeros
  if [ -n "$len" ] && [ "$len" -gt 0 ] 2>/dev/null; then head -c "$len" $tmp/cms.padded > $tmp/cms.der; else cp $tmp/cms.padded $tmp/cms.der; fi
  [ -n "$keep" ] && cp $tmp/cms.der "$keep/sig$i.der"
  cover=$([ "$a" = 0 ] && [ $((c+d)) = "$size" ] && echo "covers whole file" || echo "partial (later revisions follow)")
  openssl asn1parse -inform DER -in $tmp/cms.der > $tmp/asn1.txt 2>/dev/null || true
  if grep -q -E 'd=[34] .*:id-smime-ct-TSTInfo' $tmp/asn1.txt; then
    tca="$ca"; tsopt=""; if [ "$ca" = "-" ]; then tsopt=-no_check_time; openssl pkcs7 -inform DER -in $tmp/cms.der -print_certs -out $tmp/tsa.pem 2>/dev/null; tca=$tmp/tsa.pem; fi
    out=$(openssl ts -verify -token_in -in $tmp/cms.der -data $tmp/signed.bin -CAfile "$tca" -partial_chain ${tsopt:-} 2>&1 | grep -E "^Verification"); kind="doc-timestamp"
    [ "$out" = "Verification: OK" ] || rc=1
  else
    trust=(-CAfile "$ca" -purpose any); [ "$ca" = "-" ] && trust=(-noverify)
    out=$(openssl cms -verify -binary -inform DER -in $tmp/cms.der -content $tmp/signed.bin "${trust[@]}" -out /dev/null 2>&1 | grep -E "^CMS Verification"); kind="signature"
    [ "$out" = "CMS Verification successful" ] || rc=1
  fi
  echo "#$i $kind ByteRange [$a $b $c $d] $cover: ${out:-FAILED}"
done < <(grep -a -o '/ByteRange *\[ *[0-9]* *[0-9]* *[0-9]* *[0-9]* *\]' "$pdf" | tr -dc '0-9 \n' | sed 's/^ *//')
[ $i -gt 0 ] || { echo "no /ByteRange found"; rc=2; }
rm -rf $tmp; exit $rc
