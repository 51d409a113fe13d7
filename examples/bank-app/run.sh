#!/usr/bin/env bash
# Runs the example bank against a signing service started with ./dsm server (see README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=examples/bank-app/target/bank-app-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ]; then
  ./mvnw -q -B install -DskipTests -pl examples/bank-app -am
fi
exec java -cp "$jar:examples/bank-app/target/lib/*" org.opendsm.examples.bank.BankApp "$@"
