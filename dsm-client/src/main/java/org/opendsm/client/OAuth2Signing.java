package org.opendsm.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.opendsm.DigestAlgorithm;
import org.opendsm.PreparedSignature;
import org.opendsm.Secret;
import org.opendsm.SignatureValue;
import org.opendsm.SigningException;
import org.opendsm.internal.DigestSignatures;
import org.opendsm.protocol.TokenResponse;

/**
 * OAuth2 mode for web applications: the user types password and TOTP code on the signing
 * service's own page, never in the application.
 *
 * <pre>{@code
 * // 1. prepare the documents, then send the browser to the service
 * OAuth2Signing.Pending pending = OAuth2Signing.begin(client, credentialId, prepared, redirectUri);
 * session.put("pending", pending.state() + " " + pending.codeVerifier().reveal());   // and the prepared JSON
 * response.redirect(pending.authorizationUrl());
 * // 2. back on redirectUri?code=...&state=...
 * List<SignatureValue> values = OAuth2Signing.finish(client, pending, code, state, redirectUri, prepared);
 * // 3. pades.complete(document, prepared.get(i), values.get(i)) for each document
 * }</pre>
 *
 * <p>PKCE S256 and a random state protect the redirect; the credential scope names exactly the
 * prepared digests (SCAL 2); every returned value is checked against the prepared certificate.
 */
public final class OAuth2Signing {
  private static final SecureRandom RANDOM = new SecureRandom();

  private OAuth2Signing() {}

  /**
   * Where to send the browser, and what to keep in the session until it comes back.
   *
   * @param authorizationUrl the service's login and consent page for these digests
   * @param state compared with the one the redirect carries
   * @param codeVerifier the PKCE secret; keep it server-side
   */
  public record Pending(URI authorizationUrl, String state, Secret codeVerifier) {
    @Override
    public String toString() {
      return "Pending[" + authorizationUrl.getHost() + ", state and verifier redacted]";
    }
  }

  public static Pending begin(DsmClient client, String credentialId, List<PreparedSignature> prepared, URI redirectUri) {
    Objects.requireNonNull(credentialId, "credentialId");
    if (prepared.isEmpty()) {
      throw new IllegalArgumentException("Nothing to sign: prepared is empty");
    }
    DigestAlgorithm algorithm = prepared.get(0).digestAlgorithm();
    List<String> hashes = new ArrayList<>();
    for (PreparedSignature p : prepared) {
      if (p.digestAlgorithm() != algorithm) {
        throw new IllegalArgumentException("One authorisation covers one digest algorithm; got " + algorithm
            + " and " + p.digestAlgorithm());
      }
      hashes.add(Base64.getUrlEncoder().withoutPadding().encodeToString(p.digest()));
    }
    String state = random();
    String verifier = random() + random();
    String challenge = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(DigestAlgorithm.SHA256.digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", client.clientId());
    q.put("redirect_uri", redirectUri.toString());
    q.put("scope", "credential");
    q.put("credentialID", credentialId);
    q.put("numSignatures", String.valueOf(prepared.size()));
    q.put("hashes", String.join(",", hashes));
    q.put("hashAlgorithmOID", algorithm.oid());
    q.put("code_challenge", challenge);
    q.put("code_challenge_method", "S256");
    q.put("state", state);
    return new Pending(client.authorizeUrl(q), state, Secret.of(verifier));
  }

  /** After the redirect: checks the state, exchanges the code, signs, checks every value. */
  public static List<SignatureValue> finish(DsmClient client, Pending pending, String code, String returnedState,
      URI redirectUri, String credentialId, List<PreparedSignature> prepared) {
    if (returnedState == null || !MessageDigest.isEqual(returnedState.getBytes(StandardCharsets.UTF_8),
        pending.state().getBytes(StandardCharsets.UTF_8))) {
      throw new SigningException("The redirect's state does not match this session: refusing it (possible CSRF)");
    }
    TokenResponse token = client.exchangeCode(code, redirectUri, pending.codeVerifier());
    var algorithm = prepared.get(0).signatureAlgorithm();
    List<byte[]> digests = new ArrayList<>();
    prepared.forEach(p -> digests.add(p.digest()));
    List<byte[]> values = client.signHashWithToken(token.accessToken(), credentialId, algorithm, digests);
    if (values.size() != prepared.size()) {
      throw new SigningException("The service returned " + values.size() + " signatures for " + prepared.size());
    }
    List<SignatureValue> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      PreparedSignature p = prepared.get(i);
      if (!DigestSignatures.verify(p.certificateChain().get(0).getPublicKey(), p.signatureAlgorithm(), p.digest(),
          values.get(i))) {
        throw new SigningException("The service returned a signature that does not verify for " + p.documentName());
      }
      out.add(new SignatureValue(p.signatureAlgorithm(), values.get(i)));
    }
    return out;
  }

  private static String random() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
