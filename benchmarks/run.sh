#!/usr/bin/env bash
# Runs the signing benchmarks and the smallest-heap probe; prints ratio tables for benchmarks/README.md.
#   benchmarks/run.sh                 # everything (~13 min on 2 cores)
#   benchmarks/run.sh -p input=pades:1M -wi 1 -i 2   # extra arguments go to JMH (SigningBenchmark only)
#   benchmarks/run.sh providers       # only the raw signing baseline per key type and provider (~2 min)
# The PKCS#11 provider needs a token: DSM_PKCS11_LIBRARY and DSM_PKCS11_PIN (and SOFTHSM2_CONF), as
# for the server; without them, and with softhsm2-util installed, a throw-away SoftHSM2 token is made.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
./mvnw -q -B -ntp install -DskipTests -pl benchmarks -am
cp="benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$(ls benchmarks/target/lib/*.jar | tr '\n' ':')"
out="benchmarks/target/results.json"
providers="JDK,BC"
if [ -z "${DSM_PKCS11_LIBRARY:-}" ] && command -v softhsm2-util >/dev/null; then
  token_dir=$(mktemp -d)
  trap 'rm -rf "$token_dir"' EXIT
  mkdir "$token_dir/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$token_dir/tokens" \
    > "$token_dir/softhsm2.conf"
  export SOFTHSM2_CONF="$token_dir/softhsm2.conf"
  softhsm2-util --init-token --free --label bench --so-pin 12345678 --pin 1234 >/dev/null
  export DSM_PKCS11_LIBRARY=/usr/lib/softhsm/libsofthsm2.so DSM_PKCS11_PIN=1234
fi
if [ -n "${DSM_PKCS11_LIBRARY:-}" ]; then providers="$providers,PKCS11"; fi
if [ "${1:-}" = providers ]; then
  java -cp "$cp" org.openjdk.jmh.Main ProviderBaseline -p provider="$providers" -rf json -rff "$out"
  java -cp "$cp" org.opendsm.benchmarks.Report "$out"
  exit
fi
if [ "$#" -eq 0 ]; then
  java -cp "$cp" org.openjdk.jmh.Main 'SigningBenchmark|ProviderBaseline' -p provider="$providers" -rf json -rff "$out"
else
  java -cp "$cp" org.openjdk.jmh.Main SigningBenchmark -rf json -rff "$out" "$@"
fi
echo
java -cp "$cp" org.opendsm.benchmarks.Report "$out"
echo
if [ "$#" -eq 0 ]; then
  java -cp "$cp" org.opendsm.benchmarks.SmallestHeap
fi
