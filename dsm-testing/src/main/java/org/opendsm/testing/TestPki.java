package org.opendsm.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.opendsm.ServiceSettings;
import org.opendsm.TimestampSource;
import org.opendsm.TrustSettings;

/**
 * A complete throw-away PKI for tests and demos, generated at run time: a root CA, an issuing CA,
 * end-entity signers for every {@link KeyType}, an RFC 3161 TSA, an OCSP responder and CRLs, all
 * served over HTTP on loopback (port 0), so levels T, LT and LTA work offline.
 *
 * <pre>{@code
 * TestPki pki = TestPki.shared();
 * PadesService pades = PadesService.create(pki.serviceSettings());
 * pades.sign(pdf, options, pki.identity(KeyType.EC_P256).signer());
 * }</pre>
 *
 * <p>Validity is relative to now (from yesterday). Certificates point at this instance's URLs, so
 * documents signed with one instance validate only while it runs, or at LT/LTA offline. Test
 * fixtures only: keys live in memory unencrypted.
 */
public final class TestPki implements AutoCloseable {
  private static volatile TestPki shared;

  private final HttpServer server;
  private final ExecutorService executor;
  private final String base;
  private final KeyPair rootKeys;
  private final X509Certificate root;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final Map<KeyType, Identity> identities = new EnumMap<>(KeyType.class);
  private final Identity tsa;
  private final Map<BigInteger, Instant> revokedByCa = new ConcurrentHashMap<>();
  private final Map<BigInteger, Instant> revokedByRoot = new ConcurrentHashMap<>();
  private final Certificates certificates = new Certificates();
  private final OcspResponder ocsp;
  private final CrlIssuer caCrl;
  private final CrlIssuer rootCrl;
  private final TimestampAuthority timestampAuthority;

  private TestPki() throws IOException {
    // Without TCP_NODELAY the JDK server and client wait on each other for ~40 ms per call.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "test-pki-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    base = "http://127.0.0.1:" + server.getAddress().getPort();

    rootKeys = Certificates.generate(KeyType.RSA_2048);
    root = certificates.root("C=LU,O=OpenDSM Test PKI,CN=OpenDSM Test Root CA", rootKeys, Duration.ofDays(3650));
    caKeys = Certificates.generate(KeyType.RSA_2048);
    ca = certificates.issuingCa("C=LU,O=OpenDSM Test PKI,CN=OpenDSM Test Issuing CA", caKeys.getPublic(),
        root, rootKeys.getPrivate(), base + "/crl/root.crl", base + "/ca/root.cer");
    for (KeyType type : KeyType.values()) {
      identities.put(type, issue("C=LU,O=OpenDSM Test PKI,CN=Test Signer " + type.label(), type, false));
    }
    tsa = issue("C=LU,O=OpenDSM Test PKI,CN=OpenDSM Test TSA", KeyType.RSA_2048, true);

    ocsp = new OcspResponder(ca, caKeys.getPrivate(), revokedByCa);
    caCrl = new CrlIssuer(ca, caKeys.getPrivate(), revokedByCa);
    rootCrl = new CrlIssuer(root, rootKeys.getPrivate(), revokedByRoot);
    timestampAuthority = new TimestampAuthority(tsa.privateKey(), tsa.chain());

    server.createContext("/tsa", ex -> post(ex, "application/timestamp-reply", timestampAuthority::respond));
    server.createContext("/ocsp", ex -> post(ex, "application/ocsp-response", ocsp::respond));
    server.createContext("/crl/ca.crl", ex -> get(ex, "application/pkix-crl", caCrl::crl));
    server.createContext("/crl/root.crl", ex -> get(ex, "application/pkix-crl", rootCrl::crl));
    server.createContext("/ca/root.cer", ex -> get(ex, "application/pkix-cert", () -> der(root)));
    server.createContext("/ca/ca.cer", ex -> get(ex, "application/pkix-cert", () -> der(ca)));
    server.start();
  }

  /** A new PKI with its own HTTP server; close it when done. */
  public static TestPki start() {
    try {
      return new TestPki();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the test PKI", e);
    }
  }

  /** One PKI per JVM, started on first use and never closed (daemon threads). */
  public static TestPki shared() {
    TestPki p = shared;
    if (p == null) {
      synchronized (TestPki.class) {
        p = shared;
        if (p == null) {
          shared = p = start();
        }
      }
    }
    return p;
  }

  private Identity issue(String dn, KeyType type, boolean timeStamping) {
    KeyPair keys = Certificates.generate(type);
    X509Certificate cert = certificates.endEntity(dn, keys.getPublic(), ca, caKeys.getPrivate(),
        timeStamping, base + "/ocsp", base + "/crl/ca.crl", base + "/ca/ca.cer");
    return new Identity(type, keys.getPrivate(), List.of(cert, ca, root));
  }

  /** A signer of the given key type (one per PKI). */
  public Identity identity(KeyType type) {
    return identities.get(type);
  }

  /** A new signer with its own certificate, e.g. to revoke it without disturbing others. */
  public Identity newIdentity(String commonName, KeyType type) {
    return issue("C=LU,O=OpenDSM Test PKI,CN=" + commonName, type, false);
  }

  public X509Certificate rootCertificate() {
    return root;
  }

  public X509Certificate issuingCaCertificate() {
    return ca;
  }

  public URI tsaUrl() {
    return URI.create(base + "/tsa");
  }

  public URI baseUrl() {
    return URI.create(base);
  }

  public TimestampSource timestampSource() {
    return TimestampSource.rfc3161(tsaUrl());
  }

  /** Trusts this PKI's root; OCSP and CRL are fetched from this PKI's server. */
  public TrustSettings trustSettings() {
    return TrustSettings.builder().addTrustAnchor(root).build();
  }

  /** Timestamps from this PKI's TSA, trust in its root. */
  public ServiceSettings serviceSettings() {
    return ServiceSettings.builder().timestampSource(timestampSource()).trust(trustSettings()).build();
  }

  /** Revokes an end-entity certificate issued by this PKI; OCSP and CRL show it at once. */
  public void revoke(X509Certificate certificate) {
    if (!certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      throw new IllegalArgumentException("Not issued by this PKI's issuing CA: "
          + certificate.getSubjectX500Principal());
    }
    revokedByCa.put(certificate.getSerialNumber(), Instant.now().minusSeconds(1));
  }

  /** Writes the root certificate as PEM (for openssl, xmlsec1 and {@code dsm verify --trust}). */
  public Path writeRootPem(Path file) {
    String pem = "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der(root))
        + "\n-----END CERTIFICATE-----\n";
    try {
      return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private interface Responder {
    byte[] respond(byte[] request) throws Exception;
  }

  private static void post(HttpExchange ex, String contentType, Responder responder) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] request;
      try (InputStream in = ex.getRequestBody()) {
        request = in.readNBytes(1 << 20);
      }
      byte[] response;
      try {
        response = responder.respond(request);
      } catch (Exception e) {
        ex.sendResponseHeaders(400, -1);
        return;
      }
      send(ex, contentType, response);
    }
  }

  private interface Source {
    byte[] get() throws Exception;
  }

  private static void get(HttpExchange ex, String contentType, Source source) throws IOException {
    try (ex) {
      byte[] body;
      try {
        body = source.get();
      } catch (Exception e) {
        ex.sendResponseHeaders(500, -1);
        return;
      }
      send(ex, contentType, body);
    }
  }

  private static void send(HttpExchange ex, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] der(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
