package org.opendsm.server.internal.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.opendsm.server.internal.crypto.Aead;
import org.opendsm.server.internal.store.Sequences;
import org.opendsm.server.internal.vault.KeySpec;
import org.opendsm.server.internal.vault.MasterKeyRing;

/**
 * The built-in certificate authority: a root and an issuing CA created on first start (EC P-384
 * keys sealed under the master key, in the database so every node can issue), user certificates
 * for non-repudiation with AIA (OCSP, CA issuers) and a CRL distribution point, and a TSA
 * certificate. Serial numbers come from the shared 'certificate-serial' sequence.
 */
public final class CertificateAuthority {
  private final Jdbi jdbi;
  private final MasterKeyRing master;
  private final Clock clock;
  private final String baseUrl;

  /** The CA certificate and key of one level. */
  public record Issuer(X509Certificate certificate, PrivateKey key) {
    @Override
    public String toString() {
      return "Issuer[" + certificate.getSubjectX500Principal().getName() + "]";
    }
  }

  public CertificateAuthority(Jdbi jdbi, MasterKeyRing master, Clock clock, String baseUrl) {
    this.jdbi = jdbi;
    this.master = master;
    this.clock = clock;
    this.baseUrl = baseUrl;
  }

  /** Creates the root, issuing CA, TSA and ID token keys and certificates unless they exist. Idempotent. */
  public void initialise(String organisation) {
    jdbi.useTransaction(h -> {
      if (find(h, "root") == null) {
        createHierarchy(h, organisation);
      }
      // Certificates recorded before the issuing CA could be renewed: there was one generation.
      String first = h.createQuery("SELECT certificate FROM ca_keys WHERE name = 'issuing' OR name LIKE 'issuing@%'")
          .mapTo(byte[].class).list().stream().map(org.opendsm.internal.Dss::parseCertificate)
          .map(X509Certificate::getSerialNumber).min(BigInteger::compareTo).orElseThrow().toString(16);
      h.createUpdate("UPDATE credential_certificates SET issuer = :s WHERE issuer IS NULL").bind("s", first).execute();
      if (find(h, "oidc") == null) {
        KeyPair keys = KeySpec.EC_P256.generate();
        X509Certificate cert = endEntity(h, name(organisation, organisation + " ID Token Signer"), keys.getPublic(),
            find(h, "issuing"), Duration.ofDays(825), Purpose.ID_TOKENS);
        store(h, "oidc", cert, keys.getPrivate());
      }
    });
  }

  private void createHierarchy(Handle h, String organisation) {
    KeyPair rootKeys = KeySpec.EC_P384.generate();
    X509Certificate root = caCertificate(h, name(organisation, organisation + " Root CA"), rootKeys.getPublic(),
        null, rootKeys, ROOT_VALIDITY, -1);
    store(h, "root", root, rootKeys.getPrivate());
    KeyPair caKeys = KeySpec.EC_P384.generate();
    X509Certificate ca = caCertificate(h, name(organisation, organisation + " Signing CA"), caKeys.getPublic(),
        new Issuer(root, rootKeys.getPrivate()), caKeys, ISSUING_VALIDITY, 0);
    store(h, "issuing", ca, caKeys.getPrivate());
    KeyPair tsaKeys = KeySpec.EC_P256.generate();
    X509Certificate tsa = endEntity(h, name(organisation, organisation + " Time-Stamping Authority"),
        tsaKeys.getPublic(), new Issuer(ca, caKeys.getPrivate()), Duration.ofDays(1825), Purpose.TIME_STAMPING);
    store(h, "tsa", tsa, tsaKeys.getPrivate());
  }

  public Issuer root() {
    return load("root");
  }

  public Issuer issuing() {
    return load("issuing");
  }

  public Issuer tsa() {
    return load("tsa");
  }

  /** The key that signs OpenID Connect ID tokens (EC P-256), certified by the issuing CA. */
  public Issuer idTokenSigner() {
    return load("oidc");
  }

  /** What an end-entity key is for. */
  private enum Purpose {
    /** A user's signing key: digital signature and non-repudiation. */
    SIGNING,
    /** The TSA: digital signature, timeStamping as its only extended key usage. */
    TIME_STAMPING,
    /** ID tokens: digital signature only. */
    ID_TOKENS
  }

  /** The chain of the current issuing CA: issuing CA, root. */
  public List<X509Certificate> caChain() {
    return caChainOf(issuing());
  }

  /**
   * The CA certificates above {@code cert}: the issuing CA generation that issued it, then its
   * root. For a root that an older root certifies (after a root renewal) that certificate comes
   * instead of the self-signed one: it carries the same name and key, so a relying party that
   * trusts the new root recognises it (DSS matches trust anchors by name and key, openssl looks in
   * its trust store first), and one that still trusts only the old root finds a path through it.
   */
  public List<X509Certificate> chainFor(X509Certificate cert) {
    return caChainOf(issuerOf(cert).orElseGet(this::issuing));
  }

  private List<X509Certificate> caChainOf(Issuer issuingCa) {
    X509Certificate root = rootOf(issuingCa.certificate()).orElseGet(this::root).certificate();
    X509Certificate above = crossCertificates().stream()
        .filter(cross -> java.util.Arrays.equals(subjectKeyId(cross), subjectKeyId(root))).findFirst().orElse(root);
    return List.of(issuingCa.certificate(), above);
  }

  /** The issuing CA generation that issued {@code cert} (by name and key identifier), if this CA has it. */
  public java.util.Optional<Issuer> issuerOf(X509Certificate cert) {
    return orAfterReload(() -> issuedBy(cert, issuingCas()));
  }

  /** The root generation that issued {@code issuingCa}, if this CA has it. */
  public java.util.Optional<Issuer> rootOf(X509Certificate issuingCa) {
    return orAfterReload(() -> issuedBy(issuingCa, roots()));
  }

  /**
   * {@code lookup}'s answer, or, if it found nothing, its answer after reading the keys again
   * from the database (another node may have renewed a CA less than five minutes ago). Reads
   * again at most every ten seconds, so lookups of unknown issuers cannot load the database.
   */
  private <R> java.util.Optional<R> orAfterReload(java.util.function.Supplier<java.util.Optional<R>> lookup) {
    java.util.Optional<R> found = lookup.get();
    if (found.isEmpty() && reloadAllowed()) {
      reload();
      found = lookup.get();
    }
    return found;
  }

  private final java.util.concurrent.atomic.AtomicLong lastMissReload = new java.util.concurrent.atomic.AtomicLong();

  private boolean reloadAllowed() {
    long now = System.nanoTime();
    long last = lastMissReload.get();
    return (last == 0 || now - last > Duration.ofSeconds(10).toNanos()) && lastMissReload.compareAndSet(last, now);
  }

  /** Forgets every cached CA key and generation list: the next use reads them from the database. */
  public void reload() {
    synchronized (loaded) {
      renewals.incrementAndGet();
      loaded.clear();
      generations.clear();
    }
  }

  private static java.util.Optional<Issuer> issuedBy(X509Certificate cert, List<Issuer> candidates) {
    byte[] aki = authorityKeyId(cert);
    return candidates.stream().filter(g -> g.certificate().getSubjectX500Principal()
        .equals(cert.getIssuerX500Principal()) && (aki == null || java.util.Arrays.equals(aki,
            subjectKeyId(g.certificate())))).findFirst();
  }

  /**
   * Every generation of the issuing CA whose key is kept, the current one first. A renewed
   * generation keeps its key: it signs the CRLs and OCSP answers for what it issued until that
   * has expired.
   */
  public List<Issuer> issuingCas() {
    return generations("issuing");
  }

  /** Every generation of the root, the current one first (each keeps its key, for its CRL). */
  public List<Issuer> roots() {
    return generations("root");
  }

  /** A root generation's certificate and those by which older roots certify it: the AIA bundle. */
  public List<X509Certificate> rootBundle(Issuer root) {
    List<X509Certificate> bundle = new java.util.ArrayList<>(List.of(root.certificate()));
    for (X509Certificate cross : crossCertificates()) {
      if (java.util.Arrays.equals(subjectKeyId(cross), subjectKeyId(root.certificate()))) {
        bundle.add(cross);
      }
    }
    return List.copyOf(bundle);
  }

  /** Certificates by which an older root certifies a newer one (no keys of their own). */
  public List<X509Certificate> crossCertificates() {
    Generations cached = this.generations.get("root-cross");
    if (cached == null || System.nanoTime() - cached.at() > RELOAD.toNanos()) {
      List<X509Certificate> read = jdbi.withHandle(h -> h.createQuery(
              "SELECT certificate FROM ca_keys WHERE name LIKE 'root-cross@%' ORDER BY name").mapTo(byte[].class).list()
          .stream().map(org.opendsm.internal.Dss::parseCertificate).toList());
      cached = new Generations(read.stream().map(c -> new Issuer(c, null)).toList(), System.nanoTime());
      this.generations.put("root-cross", cached);
    }
    return cached.issuers().stream().map(Issuer::certificate).toList();
  }

  /** The first generation of {@code level} (lowest serial): what the fixed URLs serve. */
  public Issuer firstIssuingCa() {
    return first(issuingCas());
  }

  /** The first root: what /pki/root.crl and /pki/root.cer serve. */
  public Issuer firstRoot() {
    return first(roots());
  }

  private static Issuer first(List<Issuer> generations) {
    return generations.stream().min(java.util.Comparator.comparing(g -> g.certificate().getSerialNumber()))
        .orElseThrow();
  }

  /** The issuing CA generation {@code test} accepts, reading the database again if none does (at most every 10 s). */
  public java.util.Optional<Issuer> issuingCaMatching(java.util.function.Predicate<Issuer> test) {
    return orAfterReload(() -> issuingCas().stream().filter(test).findFirst());
  }

  /** The issuing CA generation with this certificate serial (hex), if its key is kept. */
  public java.util.Optional<Issuer> issuingCa(String serialHex) {
    return orAfterReload(() -> bySerial(issuingCas(), serialHex));
  }

  /** The root generation with this certificate serial (hex). */
  public java.util.Optional<Issuer> rootGeneration(String serialHex) {
    return orAfterReload(() -> bySerial(roots(), serialHex));
  }

  private static java.util.Optional<Issuer> bySerial(List<Issuer> generations, String serialHex) {
    return generations.stream().filter(g -> g.certificate().getSerialNumber().toString(16).equals(serialHex))
        .findFirst();
  }

  private record Generations(List<Issuer> issuers, long at) {}

  private final java.util.concurrent.ConcurrentMap<String, Generations> generations =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The current entry {@code name} and its archived generations that kept their keys, cached like the keys. */
  private List<Issuer> generations(String name) {
    Generations cached = generations.get(name);
    long now = System.nanoTime();
    if (cached == null || now - cached.at() > RELOAD.toNanos()) {
      long renewalCount = renewals.get();
      List<Issuer> read = jdbi.withHandle(h -> {
        List<Issuer> all = new java.util.ArrayList<>();
        all.add(find(h, name));
        for (String archived : h.createQuery("SELECT name FROM ca_keys WHERE name LIKE :p AND master_gen IS NOT NULL"
            + " ORDER BY name").bind("p", name + "@%").mapTo(String.class).list()) {
          all.add(find(h, archived));
        }
        return List.copyOf(all);
      });
      cached = new Generations(read, now);
      synchronized (loaded) {
        if (renewals.get() == renewalCount) {
          generations.put(name, cached);
        }
      }
    }
    return cached.issuers();
  }

  /**
   * A new key and certificate for the issuing CA, signed by the root: certificates are issued
   * under it from now on (on other nodes within five minutes), with their own CRL and CA
   * certificate URLs. The previous generation keeps its key and goes on answering OCSP and
   * publishing its CRL for what it issued; renew those certificates (renew-expiring) to move
   * them to the new generation. Its name gets a generation suffix (G2, G3, ...) so no relying
   * party confuses the two.
   */
  public X509Certificate renewIssuingCa() {
    Issuer renewed = jdbi.inTransaction(h -> {
      lockRenewals(h);
      return newIssuingCa(h, find(h, "root"));
    });
    afterRenewal("issuing", renewed);
    return renewed.certificate();
  }

  /**
   * A new root (new key, self-signed, "G2" and so on), a certificate by which the old root
   * certifies it (relying parties that trust only the old root still find a path), and a new
   * issuing CA under it. The old root keeps its key for its CRL; the old issuing CA keeps
   * answering for what it issued. Distribute the new root to relying parties before the old one
   * expires.
   *
   * @return the new root certificate
   */
  public X509Certificate renewRoot() {
    Issuer[] renewed = jdbi.inTransaction(h -> {
      lockRenewals(h);
      Issuer old = find(h, "root");
      int generation = h.createQuery("SELECT COUNT(*) FROM ca_keys WHERE name = 'root' OR name LIKE 'root@%'")
          .mapTo(Integer.class).one() + 1;
      X500Name subject = generationName(old.certificate(), generation);
      KeyPair keys = KeySpec.EC_P384.generate();
      X509Certificate root = caCertificate(h, subject, keys.getPublic(), null, keys, ROOT_VALIDITY, -1);
      Duration crossValidity = Duration.between(clock.instant(), old.certificate().getNotAfter().toInstant());
      X509Certificate cross = caCertificate(h, subject, keys.getPublic(), old, null, crossValidity, -1);
      archive(h, "root", old);
      store(h, "root", root, keys.getPrivate());
      h.createUpdate("INSERT INTO ca_keys (name, certificate, sealed_key, master_gen) VALUES (:n, :c, :k, NULL)")
          .bind("n", "root-cross@" + root.getSerialNumber().toString(16)).bind("c", org.opendsm.internal.Dss.encoded(cross))
          .bind("k", new byte[0]).execute();
      Issuer newRoot = new Issuer(root, keys.getPrivate());
      return new Issuer[] {newRoot, newIssuingCa(h, newRoot)};
    });
    afterRenewal("root", renewed[0]);
    afterRenewal("issuing", renewed[1]);
    return renewed[0].certificate();
  }

  /**
   * One CA renewal at a time across nodes: the second waits for the first to commit and then
   * renews what the first made. The lock is the serial-number sequence's row, which (unlike a CA
   * key's row, renamed by a renewal) is always there.
   */
  private static void lockRenewals(Handle h) {
    h.createQuery("SELECT next_value FROM sequences WHERE name = 'certificate-serial' FOR UPDATE").mapTo(Long.class)
        .one();
  }

  /** Whether the current root expires within {@code period} of this CA's clock. */
  public boolean rootExpiresWithin(Duration period) {
    return root().certificate().getNotAfter().toInstant().isBefore(clock.instant().plus(period));
  }

  /** Archives the current issuing CA (keeping its key) and stores a new one under {@code root}. */
  private Issuer newIssuingCa(Handle h, Issuer root) {
    Issuer old = find(h, "issuing");
    int generation = h.createQuery("SELECT COUNT(*) FROM ca_keys WHERE name = 'issuing' OR name LIKE 'issuing@%'")
        .mapTo(Integer.class).one() + 1;
    X500Name subject = generationName(old.certificate(), generation);
    Duration validity = Duration.between(clock.instant(), root.certificate().getNotAfter().toInstant());
    if (validity.compareTo(ISSUING_VALIDITY) > 0) {
      validity = ISSUING_VALIDITY;
    }
    KeyPair keys = KeySpec.EC_P384.generate();
    X509Certificate cert = caCertificate(h, subject, keys.getPublic(), root, null, validity, 0);
    archive(h, "issuing", old);
    store(h, "issuing", cert, keys.getPrivate());
    return new Issuer(cert, keys.getPrivate());
  }

  /** Renames the current {@code name} entry to {@code name@SERIAL}, its key sealed again under the new name. */
  private void archive(Handle h, String name, Issuer old) {
    String archivedName = name + "@" + old.certificate().getSerialNumber().toString(16);
    MasterKeyRing.Sealed kept = master.seal(MasterKeyRing.Purpose.CA_KEY, old.key().getEncoded(), archivedName);
    int archived = h.createUpdate("UPDATE ca_keys SET name = :archived, sealed_key = :k, master_gen = :g"
            + " WHERE name = :n").bind("archived", archivedName).bind("k", kept.bytes())
        .bind("g", kept.generation()).bind("n", name).execute();
    if (archived != 1) {
      throw new IllegalStateException("The " + name + " CA changed during its renewal");
    }
  }

  private void afterRenewal(String name, Issuer renewed) {
    synchronized (loaded) {
      renewals.incrementAndGet();
      loaded.put(name, new Loaded(renewed, System.nanoTime()));
      generations.clear();
    }
  }

  /** Whether the current issuing CA expires within {@code period} of this CA's clock. */
  public boolean issuingCaExpiresWithin(Duration period) {
    return issuing().certificate().getNotAfter().toInstant().isBefore(clock.instant().plus(period));
  }

  /** The old subject with " G{generation}" in place of any generation suffix of its common name. */
  private static X500Name generationName(X509Certificate old, int generation) {
    X500Name name = X500Name.getInstance(old.getSubjectX500Principal().getEncoded());
    X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
    for (org.bouncycastle.asn1.x500.RDN rdn : name.getRDNs()) {
      var first = rdn.getFirst();
      if (BCStyle.CN.equals(first.getType())) {
        String cn = org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(first.getValue())
            .replaceAll(" G\\d+$", "");
        b.addRDN(BCStyle.CN, cn + " G" + generation);
      } else {
        b.addRDN(first.getType(), first.getValue());
      }
    }
    return b.build();
  }

  private static byte[] authorityKeyId(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    return ext == null ? null : org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(
        org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
  }

  private static byte[] subjectKeyId(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    return ext == null ? null : org.bouncycastle.asn1.x509.SubjectKeyIdentifier.getInstance(
        org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
  }

  /** A non-repudiation certificate for a user's key, inside the caller's transaction. */
  public X509Certificate issueUserCertificate(Handle h, String commonName, String userId, PublicKey key) {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "LU")
        .addRDN(BCStyle.CN, commonName).addRDN(BCStyle.SERIALNUMBER, userId).build();
    return endEntity(h, subject, key, issuing(), USER_CERTIFICATE_VALIDITY, Purpose.SIGNING);
  }

  private X509Certificate caCertificate(Handle h, X500Name subject, PublicKey key, Issuer issuer,
      KeyPair self, Duration validity, int pathLength) {
    try {
      return caCertificateOrThrow(h, subject, key, issuer, self, validity, pathLength);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private X509Certificate caCertificateOrThrow(Handle h, X500Name subject, PublicKey key, Issuer issuer,
      KeyPair self, Duration validity, int pathLength) throws IOException {
    X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder b = builder(h, issuerName, subject, key, validity);
    b.addExtension(Extension.basicConstraints, true, pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    b.addExtension(Extension.subjectKeyIdentifier, false, extensions().createSubjectKeyIdentifier(key));
    if (issuer != null) {
      b.addExtension(Extension.authorityKeyIdentifier, false,
          extensions().createAuthorityKeyIdentifier(issuer.certificate().getPublicKey()));
      // Each root generation has its own CRL and certificate URLs; the issuer's certificates come
      // as a certs-only CMS (RFC 5280 4.2.2.1): the root and any certificate by which an older
      // root certifies it, so a relying party with either root finds a path.
      String root = baseUrl + "/pki/root/" + issuer.certificate().getSerialNumber().toString(16);
      pointers(b, null, root + ".crl", root + ".p7c");
    }
    return sign(b, issuer == null ? self.getPrivate() : issuer.key());
  }

  private X509Certificate endEntity(Handle h, X500Name subject, PublicKey key, Issuer issuer,
      Duration validity, Purpose purpose) {
    // Never beyond the issuer's own validity: the certificate could not be validated then.
    Duration issuerLeft = Duration.between(clock.instant(), issuer.certificate().getNotAfter().toInstant());
    if (validity.compareTo(issuerLeft) > 0) {
      validity = issuerLeft;
    }
    try {
      X509v3CertificateBuilder b = builder(h,
          X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()), subject, key, validity);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(purpose == Purpose.SIGNING
          ? KeyUsage.digitalSignature | KeyUsage.nonRepudiation : KeyUsage.digitalSignature));
      if (purpose == Purpose.TIME_STAMPING) {
        b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
      }
      b.addExtension(Extension.subjectKeyIdentifier, false, extensions().createSubjectKeyIdentifier(key));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          extensions().createAuthorityKeyIdentifier(issuer.certificate().getPublicKey()));
      // Each generation of the issuing CA has its own CRL and certificate URLs.
      String generation = baseUrl + "/pki/ca/" + issuer.certificate().getSerialNumber().toString(16);
      pointers(b, baseUrl + "/pki/ocsp", generation + ".crl", generation + ".cer");
      return sign(b, issuer.key());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private X509v3CertificateBuilder builder(Handle h, X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
    Instant now = clock.instant();
    BigInteger serial = BigInteger.valueOf(Sequences.next(h, "certificate-serial"));
    return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(now.minusSeconds(300)),
        Date.from(now.plus(validity)), subject, key);
  }

  private static void pointers(X509v3CertificateBuilder b, String ocsp, String crl, String issuerCert) throws IOException {
    GeneralNames crlNames = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crl));
    b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(
        new DistributionPoint[] {new DistributionPoint(new DistributionPointName(crlNames), null, null)}));
    AccessDescription caIssuers = new AccessDescription(AccessDescription.id_ad_caIssuers,
        new GeneralName(GeneralName.uniformResourceIdentifier, issuerCert));
    AccessDescription[] aia = ocsp == null ? new AccessDescription[] {caIssuers}
        : new AccessDescription[] {new AccessDescription(AccessDescription.id_ad_ocsp,
            new GeneralName(GeneralName.uniformResourceIdentifier, ocsp)), caIssuers};
    b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(aia));
  }

  static String signatureAlgorithm(PrivateKey key) {
    return "EC".equals(key.getAlgorithm()) ? "SHA384withECDSA" : "SHA256withRSA";
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key)));
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("Cannot sign a certificate", e);
    }
  }

  private static JcaX509ExtensionUtils extensions() {
    try {
      return new JcaX509ExtensionUtils();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X500Name name(String organisation, String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "LU").addRDN(BCStyle.O, organisation)
        .addRDN(BCStyle.CN, commonName).build();
  }

  private void store(Handle h, String name, X509Certificate cert, PrivateKey key) {
    try {
      MasterKeyRing.Sealed sealed = master.seal(MasterKeyRing.Purpose.CA_KEY, key.getEncoded(), name);
      h.createUpdate("INSERT INTO ca_keys (name, certificate, sealed_key, master_gen) VALUES (:n, :c, :k, :g)")
          .bind("n", name).bind("c", cert.getEncoded()).bind("k", sealed.bytes()).bind("g", sealed.generation())
          .execute();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An opened CA key and when it was opened. */
  private record Loaded(Issuer issuer, long at) {}

  private final java.util.concurrent.ConcurrentMap<String, Loaded> loaded = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A CA key, opened once and kept for {@link #RELOAD} (a renewal on another node reaches this
   * one within that time; the key it replaced stays valid meanwhile).
   */
  private Issuer load(String name) {
    long now = System.nanoTime();
    Loaded l = loaded.get(name);
    if (l == null || now - l.at() > RELOAD.toNanos()) {
      long generation = renewals.get();
      l = new Loaded(loadFromDatabase(name), now);
      // A renewal that committed while this read was under way wins: never put back the old key.
      synchronized (loaded) {
        if (renewals.get() == generation) {
          loaded.put(name, l);
        }
      }
    }
    return l.issuer();
  }

  /** Counts renewals made by this process; see {@link #load}. */
  private final java.util.concurrent.atomic.AtomicLong renewals = new java.util.concurrent.atomic.AtomicLong();

  private static final Duration RELOAD = Duration.ofMinutes(5);
  private static final Duration ISSUING_VALIDITY = Duration.ofDays(3650);
  private static final Duration ROOT_VALIDITY = Duration.ofDays(3650 * 2);
  /** How long a user certificate is valid. */
  public static final Duration USER_CERTIFICATE_VALIDITY = Duration.ofDays(730);

  /**
   * A new key and certificate for the time-stamping authority, with the same subject, issued by
   * the issuing CA; timestamps are signed with it from now on (on other nodes within five
   * minutes). The old certificate is kept, without its key, so OCSP answers for it and
   * timestamps made with it keep validating until it expires.
   */
  public X509Certificate renewTsa() {
    return renew("tsa", Purpose.TIME_STAMPING, Duration.ofDays(1825));
  }

  /**
   * A new key for signing ID tokens, certified like the first. The old certificate is kept
   * without its key: the JWK set goes on publishing it while it is valid, so tokens it signed
   * still verify (an {@code id_token_hint} at logout, say).
   */
  public X509Certificate renewIdTokenSigner() {
    return renew("oidc", Purpose.ID_TOKENS, Duration.ofDays(825));
  }

  private X509Certificate renew(String name, Purpose purpose, Duration validity) {
    Issuer renewed = jdbi.inTransaction(h -> {
      // One renewal at a time across nodes: the second waits, then renews the first one's key.
      lockRenewals(h);
      Issuer old = find(h, name);
      KeyPair keys = KeySpec.EC_P256.generate();
      X509Certificate cert = endEntity(h, X500Name.getInstance(old.certificate().getSubjectX500Principal().getEncoded()),
          keys.getPublic(), find(h, "issuing"), validity, purpose);
      int archived = h.createUpdate("UPDATE ca_keys SET name = :archived, sealed_key = :none, master_gen = NULL"
          + " WHERE name = :n")
          .bind("archived", name + "@" + old.certificate().getSerialNumber().toString(16)).bind("none", new byte[0])
          .bind("n", name).execute();
      if (archived != 1) {
        throw new IllegalStateException("The " + name + " key changed during its renewal");
      }
      store(h, name, cert, keys.getPrivate());
      return new Issuer(cert, keys.getPrivate());
    });
    synchronized (loaded) {
      renewals.incrementAndGet();
      loaded.put(name, new Loaded(renewed, System.nanoTime()));
    }
    return renewed.certificate();
  }

  /** Certificates of the keys {@code name} had before its renewals (their keys are gone). */
  public List<X509Certificate> previousCertificates(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT certificate FROM ca_keys WHERE name LIKE :p")
        .bind("p", name + "@%").mapTo(byte[].class).list().stream()
        .map(org.opendsm.internal.Dss::parseCertificate).toList());
  }

  /** Whether the ID token key's certificate expires within {@code period} of this CA's clock. */
  public boolean idTokenSignerExpiresWithin(Duration period) {
    return idTokenSigner().certificate().getNotAfter().toInstant().isBefore(clock.instant().plus(period));
  }

  /** Whether the TSA's current certificate expires within {@code period} of this CA's clock. */
  public boolean tsaExpiresWithin(Duration period) {
    return tsa().certificate().getNotAfter().toInstant().isBefore(clock.instant().plus(period));
  }

  /** Serial numbers of every certificate the TSA has had, read from the database (not the cache). */
  public List<java.math.BigInteger> tsaSerials() {
    return tsaCertificates().stream().map(X509Certificate::getSerialNumber).toList();
  }

  /** Every certificate the TSA has had, read from the database (not the cache). */
  public List<X509Certificate> tsaCertificates() {
    return jdbi.withHandle(h -> h.createQuery("SELECT certificate FROM ca_keys WHERE name = 'tsa' OR name LIKE 'tsa@%'")
        .mapTo(byte[].class).list().stream().map(org.opendsm.internal.Dss::parseCertificate).toList());
  }

  private Issuer loadFromDatabase(String name) {
    return jdbi.withHandle(h -> {
      Issuer i = find(h, name);
      if (i == null) {
        throw new IllegalStateException("The CA is not initialised (no '" + name + "' key)");
      }
      return i;
    });
  }

  private Issuer find(Handle h, String name) {
    return h.createQuery("SELECT certificate, sealed_key, master_gen FROM ca_keys WHERE name = :n").bind("n", name)
        .map((rs, ctx) -> {
          try {
            X509Certificate cert = org.opendsm.internal.Dss.parseCertificate(rs.getBytes("certificate"));
            byte[] pkcs8 = master.open(MasterKeyRing.Purpose.CA_KEY, rs.getBytes("sealed_key"), rs.getInt("master_gen"),
                name);
            // Bouncy Castle signs the certificates, OCSP responses and timestamps: give it its own key type.
            PrivateKey key = KeyFactory.getInstance(cert.getPublicKey().getAlgorithm(),
                org.opendsm.internal.DigestSignatures.bouncyCastle()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new Issuer(cert, key);
          } catch (Aead.DecryptionFailed | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot open the CA key '" + name + "': wrong master key?", e);
          }
        }).findOne().orElse(null);
  }
}
