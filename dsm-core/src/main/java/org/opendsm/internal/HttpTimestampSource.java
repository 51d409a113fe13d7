package org.opendsm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.opendsm.DigestAlgorithm;
import org.opendsm.TimestampException;
import org.opendsm.TimestampSource;

/**
 * RFC 3161 over HTTP: Bouncy Castle builds the query and parses the reply, the JDK client carries
 * it. The reply is checked against the request (status, nonce, imprint) before use.
 */
public final class HttpTimestampSource implements TimestampSource {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Timestamp replies are a few KiB; anything bigger is not one. */
  private static final int MAX_REPLY = 256 * 1024;

  private final URI url;
  /** The URL without user info or query, which may carry credentials: for messages only. */
  private final String shownUrl;
  private final Duration timeout;
  private final HttpClient http;

  public HttpTimestampSource(URI url, Duration timeout) {
    this.url = Objects.requireNonNull(url, "url");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    String scheme = url.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("TSA URL must be http or https: " + url);
    }
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.shownUrl = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  @Override
  public byte[] timestamp(DigestAlgorithm algorithm, byte[] digest) {
    if (digest.length != algorithm.length()) {
      throw new IllegalArgumentException(
          "digest must be " + algorithm.length() + " bytes for " + algorithm);
    }
    TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
    generator.setCertReq(true);
    BigInteger nonce = new BigInteger(64, RANDOM);
    TimeStampRequest request =
        generator.generate(new ASN1ObjectIdentifier(algorithm.oid()), digest, nonce);
    byte[] reply = post(request);
    try {
      TimeStampResponse response = new TimeStampResponse(reply);
      response.validate(request);
      TimeStampToken token = response.getTimeStampToken();
      if (token == null) {
        throw new TimestampException("TSA " + shownUrl + " refused the request: "
            + response.getStatusString() + " (status " + response.getStatus() + ")");
      }
      if (!Arrays.equals(token.getTimeStampInfo().getMessageImprintDigest(), digest)) {
        throw new TimestampException("TSA " + shownUrl + " stamped a different digest");
      }
      verifySignature(token);
      return token.getEncoded();
    } catch (TSPException | IOException e) {
      throw new TimestampException("Invalid reply from TSA " + shownUrl + ": " + e.getMessage(), e);
    }
  }

  /**
   * The token must verify with the certificate it names (we asked for it with certReq). Whether
   * that TSA is trusted is decided at validation time, against the trust anchors.
   */
  @SuppressWarnings("unchecked")
  private void verifySignature(TimeStampToken token) throws TSPException {
    var matches = token.getCertificates().getMatches(token.getSID());
    if (matches.isEmpty()) {
      throw new TimestampException("TSA " + shownUrl + " returned a token without its signing certificate");
    }
    X509CertificateHolder certificate = (X509CertificateHolder) matches.iterator().next();
    try {
      token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(certificate));
    } catch (OperatorCreationException | java.security.cert.CertificateException e) {
      throw new TimestampException("Cannot check the token of TSA " + shownUrl + ": " + e.getMessage(), e);
    } catch (TSPValidationException e) {
      throw new TimestampException("TSA " + shownUrl + " returned a token whose signature does not verify", e);
    }
  }

  private byte[] post(TimeStampRequest request) {
    try {
      HttpRequest httpRequest = HttpRequest.newBuilder(url)
          .timeout(timeout)
          .header("Content-Type", "application/timestamp-query")
          .header("Accept", "application/timestamp-reply")
          .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded()))
          .build();
      HttpResponse<InputStream> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new TimestampException(
              "TSA " + shownUrl + " answered HTTP " + response.statusCode() + " instead of a timestamp");
        }
        byte[] reply = body.readNBytes(MAX_REPLY + 1);
        if (reply.length > MAX_REPLY) {
          throw new TimestampException("TSA " + shownUrl + " sent more than " + MAX_REPLY + " bytes");
        }
        return reply;
      }
    } catch (IOException e) {
      throw new TimestampException("Cannot reach TSA " + shownUrl + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimestampException("Interrupted while waiting for TSA " + shownUrl, e);
    }
  }

  @Override
  public String toString() {
    return "TimestampSource[" + shownUrl + "]";
  }
}
