#!/usr/bin/env bash
# Runs the signing benchmarks and the smallest-heap probe; prints ratio tables for benchmarks/README.md.
#   benchmarks/run.sh                 # everything (~10 min on 2 cores)
#   benchmarks/run.sh -p input=pades:1M -wi 1 -i 2   # extra arguments go to JMH
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
./mvnw -q -B -ntp install -DskipTests -pl benchmarks -am
cp="benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$(ls benchmarks/target/lib/*.jar | tr '\n' ':')"
out="benchmarks/target/results.json"
java -cp "$cp" org.openjdk.jmh.Main SigningBenchmark -rf json -rff "$out" "$@"
echo
java -cp "$cp" org.opendsm.benchmarks.Report "$out"
echo
if [ "$#" -eq 0 ]; then
  java -cp "$cp" org.opendsm.benchmarks.SmallestHeap
fi
