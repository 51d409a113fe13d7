package org.opendsm.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
 * session.put("signing", pending.toJson());            // server-side: it holds the PKCE verifier
 * response.redirect(pending.authorizationUrl());
 * // 2. back on redirectUri?code=...&state=...
 * OAuth2Signing.Pending pending = OAuth2Signing.Pending.fromJson(session.remove("signing"));
 * List<SignatureValue> values = OAuth2Signing.finish(client, pending, code, state);
 * // 3. pades.complete(document, pending.prepared().get(i), values.get(i)) for each document
 * }</pre>
 *
 * <p>PKCE S256 and a random state protect the redirect; the authorization details name exactly
 * the prepared digests with the documents' names (SCAL 2), which the service's page shows; every
 * returned value is checked against the prepared certificate.
 * The service's {@code multisign} bounds one authorisation (100 on the reference server): a
 * larger batch needs one redirect per part.
 */
public final class OAuth2Signing {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  private OAuth2Signing() {}

  /**
   * Where to send the browser, and everything needed when it comes back: the prepared signatures
   * travel with it across the redirect.
   *
   * @param authorizationUrl the service's login and consent page for these digests
   * @param state compared with the one the redirect carries
   * @param codeVerifier the PKCE secret; keep it server-side
   * @param credentialId the credential the user approves
   * @param redirectUri where the service sends the browser back
   * @param prepared the prepared signatures, in the order the values come back
   */
  public record Pending(URI authorizationUrl, String state, Secret codeVerifier, String credentialId, URI redirectUri,
      List<PreparedSignature> prepared) {
    public Pending {
      Objects.requireNonNull(authorizationUrl, "authorizationUrl");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(codeVerifier, "codeVerifier");
      Objects.requireNonNull(credentialId, "credentialId");
      Objects.requireNonNull(redirectUri, "redirectUri");
      prepared = List.copyOf(prepared);
    }

    /**
     * This pending authorisation as JSON, for the application's server-side session. It holds
     * the PKCE verifier: never send it to the browser.
     */
    public String toJson() {
      ObjectNode root = JSON.createObjectNode()
          .put("authorizationUrl", authorizationUrl.toString())
          .put("state", state)
          .put("codeVerifier", codeVerifier.reveal())
          .put("credentialID", credentialId)
          .put("redirectUri", redirectUri.toString());
      ArrayNode list = root.putArray("prepared");
      try {
        for (PreparedSignature p : prepared) {
          list.add(JSON.readTree(p.toJson()));
        }
        return JSON.writeValueAsString(root);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot write the pending authorisation: " + e.getMessage(), e);
      }
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException if the JSON is not a pending authorisation
     */
    public static Pending fromJson(String json) {
      try {
        JsonNode root = JSON.readTree(Objects.requireNonNull(json, "json"));
        List<PreparedSignature> prepared = new ArrayList<>();
        for (JsonNode p : root.path("prepared")) {
          prepared.add(PreparedSignature.fromJson(JSON.writeValueAsString(p)));
        }
        return new Pending(URI.create(text(root, "authorizationUrl")), text(root, "state"),
            Secret.of(text(root, "codeVerifier")), text(root, "credentialID"), URI.create(text(root, "redirectUri")),
            prepared);
      } catch (IOException e) {
        throw new IllegalArgumentException("Not a pending OAuth2 signing: " + e.getMessage(), e);
      }
    }

    private static String text(JsonNode root, String field) {
      JsonNode n = root.get(field);
      if (n == null || !n.isTextual()) {
        throw new IllegalArgumentException("Not a pending OAuth2 signing: no " + field);
      }
      return n.asText();
    }

    /**
     * The short code the service's page shows beside the documents (first 8 hex digits of the
     * SHA-256 of the digests, as {@code ABCD-1234}); show it too, so the user sees both pages
     * speak of the same documents.
     */
    public String verificationCode() {
      var md = DigestAlgorithm.SHA256.newMessageDigest();
      prepared.forEach(p -> md.update(p.digest()));
      String hex = java.util.HexFormat.of().withUpperCase().formatHex(md.digest()).substring(0, 8);
      return hex.substring(0, 4) + "-" + hex.substring(4);
    }

    @Override
    public String toString() {
      return "Pending[" + authorizationUrl.getHost() + ", " + prepared.size()
          + " signature(s), state and verifier redacted]";
    }
  }

  public static Pending begin(DsmClient client, String credentialId, List<PreparedSignature> prepared, URI redirectUri) {
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(redirectUri, "redirectUri");
    if (prepared.isEmpty()) {
      throw new IllegalArgumentException("Nothing to sign: prepared is empty");
    }
    DigestAlgorithm algorithm = prepared.get(0).digestAlgorithm();
    // CSC v2 rich authorization request: each document's digest with its name, which the
    // service's page lists for the user.
    ObjectNode details = JSON.createObjectNode().put("type", "credential").put("credentialID", credentialId)
        .put("hashAlgorithmOID", algorithm.oid());
    ArrayNode documents = details.putArray("documentDigests");
    for (PreparedSignature p : prepared) {
      if (p.digestAlgorithm() != algorithm) {
        throw new IllegalArgumentException("One authorisation covers one digest algorithm; got " + algorithm
            + " and " + p.digestAlgorithm());
      }
      documents.addObject().put("hash", Base64.getEncoder().encodeToString(p.digest())).put("label", p.documentName());
    }
    String state = random();
    String verifier = random() + random();
    String challenge = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(DigestAlgorithm.SHA256.digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", client.clientId());
    q.put("redirect_uri", redirectUri.toString());
    q.put("authorization_details", JSON.createArrayNode().add(details).toString());
    q.put("code_challenge", challenge);
    q.put("code_challenge_method", "S256");
    q.put("state", state);
    return new Pending(client.authorizeUrl(q), state, Secret.of(verifier), credentialId, redirectUri, prepared);
  }

  /**
   * After the redirect: checks the state, exchanges the code, signs, checks every value.
   *
   * @return one value per prepared signature, in order, for the format service's {@code complete}
   */
  public static List<SignatureValue> finish(DsmClient client, Pending pending, String code, String returnedState) {
    if (returnedState == null || !MessageDigest.isEqual(returnedState.getBytes(StandardCharsets.UTF_8),
        pending.state().getBytes(StandardCharsets.UTF_8))) {
      throw new SigningException("The redirect's state does not match this session: refusing it (possible CSRF)");
    }
    if (code == null || code.isEmpty()) {
      throw new SigningException("The redirect carries no authorization code (the user cancelled, or the service"
          + " refused: see its error parameter)");
    }
    List<PreparedSignature> prepared = pending.prepared();
    String credentialId = pending.credentialId();
    TokenResponse token = client.exchangeCode(code, pending.redirectUri(), pending.codeVerifier());
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
