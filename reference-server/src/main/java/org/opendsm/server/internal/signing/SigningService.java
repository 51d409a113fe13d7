package org.opendsm.server.internal.signing;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.internal.DigestSignatures;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.accounts.AuthenticationException;
import org.opendsm.server.internal.audit.AuditTrail;
import org.opendsm.server.internal.vault.SoftwareVault;

/**
 * The signature activation module: issues SADs after two-factor authentication and signs only the
 * digests a SAD names (SCAL2).
 *
 * <p>A SAD is 256 random bits handed to the client once; the database keeps its SHA-256 and a row
 * bound to user, credential, client, hash algorithm and the multiset of authorised digests, with a
 * budget and a short life. signHash consumes each digest once inside one transaction that also
 * writes the audit record, so a signature never leaves without its record and no digest is signed
 * twice, whichever node serves the call.
 */
public final class SigningService {
  public static final Duration SAD_LIFETIME = Duration.ofSeconds(300);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Jdbi jdbi;
  private final Accounts accounts;
  private final SoftwareVault vault;
  private final org.opendsm.server.internal.vault.KeyStorage keys;
  private final AuditTrail audit;
  private final Clock clock;

  public SigningService(Jdbi jdbi, Accounts accounts, SoftwareVault vault, AuditTrail audit, Clock clock) {
    this(jdbi, accounts, vault, vault, audit, clock);
  }

  public SigningService(Jdbi jdbi, Accounts accounts, SoftwareVault vault,
      org.opendsm.server.internal.vault.KeyStorage keys, AuditTrail audit, Clock clock) {
    this.jdbi = jdbi;
    this.accounts = accounts;
    this.vault = vault;
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
  }

  /** A fresh SAD; {@link #sad()} is shown once and never stored. */
  public record Authorization(String sad, Instant expiresAt) {
    @Override
    public String toString() {
      return "Authorization[SAD redacted, expires " + expiresAt + "]";
    }
  }

  /**
   * Checks password and TOTP, then authorises exactly {@code digests} (each once) for the
   * credential.
   *
   * @throws SigningRefused for an unknown (or another user's) credential, or bad digests
   * @throws AuthenticationException when a factor is wrong or the credential is locked
   */
  public Authorization authorize(String clientId, String userId, String credentialId, Secret password,
      String otp, DigestAlgorithm algorithm, List<byte[]> digests) throws AuthenticationException, SigningRefused {
    Accounts.Credential credential = activeCredential(userId, credentialId);
    checkDigests(algorithm, digests);
    // The SAD is written in the transaction that records the login: one commit, not two.
    NewSad sad = new NewSad();
    accounts.authenticate(userId, password, otp, "credentials/authorize",
        (h, unlocked) -> sad.write(h, clientId, userId, credential, unlocked, algorithm, digests)).close();
    return sad.authorization();
  }

  /**
   * Authorises {@code digests} with a fresh TOTP code alone, for a user whose password a live
   * session with the signing service checked (its unlocked material escrowed there). The second
   * factor is still fresh and bound to exactly these digests.
   *
   * @throws AuthenticationException when the code is wrong or replayed, or the credential locked
   */
  public Authorization authorizeInSession(String clientId, String userId, String credentialId,
      SoftwareVault.Unlocked session, String otp, DigestAlgorithm algorithm, List<byte[]> digests)
      throws AuthenticationException, SigningRefused {
    Accounts.Credential credential = activeCredential(userId, credentialId);
    checkDigests(algorithm, digests);
    NewSad sad = new NewSad();
    accounts.authenticateSecondFactor(userId, otp, "oauth2/authorize",
        h -> sad.write(h, clientId, userId, credential, session, algorithm, digests));
    return sad.authorization();
  }

  /** A SAD being issued: its secret, id and expiry, written inside the caller's transaction. */
  private final class NewSad {
    private final byte[] token = new byte[32];
    private final String id = UUID.randomUUID().toString();
    private final Instant expires = clock.instant().plus(SAD_LIFETIME);

    NewSad() {
      RANDOM.nextBytes(token);
    }

    void write(org.jdbi.v3.core.Handle h, String clientId, String userId, Accounts.Credential credential,
        SoftwareVault.Unlocked unlocked, DigestAlgorithm algorithm, List<byte[]> digests) {
      insertSad(h, id, token, userId, credential.id(), clientId, algorithm, digests, vault.escrow(unlocked, token, id),
          expires.toEpochMilli());
      audit.append(h, "credential.authorized", clientId, userId, Map.of("credential", credential.id(),
          "sad", id, "hashAlgorithm", algorithm.name(), "digests", hex(digests)));
    }

    Authorization authorization() {
      return new Authorization(Base64.getUrlEncoder().withoutPadding().encodeToString(token), expires);
    }
  }

  /** Spends a SAD presented for revocation (RFC 7009 on a credential-scope token). */
  public void revoke(String clientId, String sad) {
    byte[] token;
    try {
      token = Base64.getUrlDecoder().decode(sad);
    } catch (IllegalArgumentException e) {
      return;
    }
    jdbi.useHandle(h -> h.createUpdate("UPDATE sads SET remaining = 0 WHERE token_hash = :th AND client_id = :c")
        .bind("th", DigestAlgorithm.SHA256.digest(token)).bind("c", clientId).execute());
  }

  /** Who a live SAD, presented as a credential-scope bearer token, speaks for. */
  public record SadHolder(String clientId, String userId, String credentialId) {}

  public java.util.Optional<SadHolder> holder(String sad) {
    byte[] token;
    try {
      token = Base64.getUrlDecoder().decode(sad);
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT client_id, user_id, credential_id FROM sads"
            + " WHERE token_hash = :th AND expires_at > :now AND remaining > 0")
        .bind("th", DigestAlgorithm.SHA256.digest(token)).bind("now", clock.millis())
        .map((rs, ctx) -> new SadHolder(rs.getString("client_id"), rs.getString("user_id"), rs.getString("credential_id")))
        .findOne());
  }

  /**
   * A new SAD for new digests from a live one, without asking the factors again (CSC
   * extendTransaction, e.g. a second signature on a PDF whose digest exists only after the first).
   * The old SAD is spent; the new one has the old one's remaining life.
   */
  public Authorization extend(String clientId, String userId, String credentialId, String sad,
      DigestAlgorithm algorithm, List<byte[]> digests) {
    Accounts.Credential credential = activeCredential(userId, credentialId);
    checkDigests(algorithm, digests);
    byte[] oldToken = decodeSad(sad);
    byte[] newToken = new byte[32];
    RANDOM.nextBytes(newToken);
    String newId = UUID.randomUUID().toString();
    Instant expires = jdbi.inTransaction(h -> {
      Map<String, Object> row = liveSad(h, oldToken, clientId, userId, credentialId);
      String oldId = (String) row.get("id");
      // The user approved a number of signatures with one hash algorithm: a new SAD may name new
      // digests (their values exist only after earlier signatures) but not more, nor another kind.
      if (!algorithm.name().equals(row.get("hash_algo"))) {
        throw SigningRefused.invalidRequest("The hash algorithm differs from the one authorised");
      }
      if (digests.size() > ((Number) row.get("remaining")).intValue()) {
        throw SigningRefused.invalidRequest("More hashes than the SAD still allows ("
            + row.get("remaining") + ")");
      }
      SoftwareVault.Escrow escrow;
      try (SoftwareVault.Unlocked unlocked = vault.unlockWithSad(escrow(row), oldToken, oldId)) {
        escrow = vault.escrow(unlocked, newToken, newId);
      } catch (SoftwareVault.Refused e) {
        throw SigningRefused.invalidSad("Invalid SAD");
      }
      long expiresAt = ((Number) row.get("expires_at")).longValue();
      h.createUpdate("UPDATE sads SET remaining = 0 WHERE id = :s").bind("s", oldId).execute();
      insertSad(h, newId, newToken, userId, credential.id(), clientId, algorithm, digests, escrow, expiresAt);
      audit.append(h, "credential.extended", clientId, userId, Map.of("credential", credential.id(),
          "previousSad", oldId, "sad", newId, "hashAlgorithm", algorithm.name(), "digests", hex(digests)));
      return Instant.ofEpochMilli(expiresAt);
    });
    return new Authorization(Base64.getUrlEncoder().withoutPadding().encodeToString(newToken), expires);
  }

  /** The SAD row, locked, if it is live and belongs to this client, user and credential. */
  private Map<String, Object> liveSad(org.jdbi.v3.core.Handle h, byte[] token, String clientId, String userId,
      String credentialId) {
    Map<String, Object> row = h.createQuery("SELECT id, user_id, credential_id, client_id, hash_algo, remaining,"
            + " escrow, master_gen, expires_at FROM sads WHERE token_hash = :th FOR UPDATE")
        .bind("th", DigestAlgorithm.SHA256.digest(token)).mapToMap().findOne()
        .orElseThrow(() -> SigningRefused.invalidSad("Invalid SAD"));
    if (((Number) row.get("expires_at")).longValue() <= clock.millis()) {
      throw SigningRefused.invalidSad("SAD expired");
    }
    if (!userId.equals(row.get("user_id")) || !credentialId.equals(row.get("credential_id"))
        || !clientId.equals(row.get("client_id"))) {
      throw SigningRefused.invalidSad("Invalid SAD");
    }
    if (((Number) row.get("remaining")).intValue() == 0) {
      throw SigningRefused.invalidSad("SAD already used");
    }
    return row;
  }

  private static void insertSad(org.jdbi.v3.core.Handle h, String sadId, byte[] token, String userId,
      String credentialId, String clientId, DigestAlgorithm algorithm, List<byte[]> digests,
      SoftwareVault.Escrow escrow, long expiresAt) {
    h.createUpdate("INSERT INTO sads (id, token_hash, user_id, credential_id, client_id, hash_algo, remaining,"
            + " escrow, master_gen, expires_at) VALUES (:id, :th, :u, :c, :cl, :a, :n, :e, :g, :x)")
        .bind("id", sadId).bind("th", DigestAlgorithm.SHA256.digest(token)).bind("u", userId)
        .bind("c", credentialId).bind("cl", clientId).bind("a", algorithm.name())
        .bind("n", digests.size()).bind("e", escrow.sealed()).bind("g", escrow.generation()).bind("x", expiresAt)
        .execute();
    var batch = h.prepareBatch("INSERT INTO sad_digests (sad_id, idx, digest) VALUES (:s, :i, :d)");
    for (int i = 0; i < digests.size(); i++) {
      batch.bind("s", sadId).bind("i", i).bind("d", digests.get(i)).add();
    }
    batch.execute();
  }

  /**
   * Signs {@code digests} (in request order) if the SAD authorised each of them for this client,
   * user and credential. Every value is verified against the public key before it is returned.
   */
  public List<byte[]> signHash(String clientId, String userId, String credentialId, String sad,
      SignatureAlgorithm algorithm, List<byte[]> digests) throws SigningRefused {
    Accounts.Credential credential = activeCredential(userId, credentialId);
    checkDigests(algorithm.digestAlgorithm(), digests);
    checkAlgorithmFitsKey(credential, algorithm);
    byte[] token = decodeSad(sad);
    return jdbi.inTransaction(h -> {
      Map<String, Object> row = liveSad(h, token, clientId, userId, credentialId);
      String sadId = (String) row.get("id");
      if (!algorithm.digestAlgorithm().name().equals(row.get("hash_algo"))) {
        throw SigningRefused.invalidRequest("The hash algorithm differs from the one authorised");
      }
      int remaining = ((Number) row.get("remaining")).intValue();
      if (digests.size() > remaining) {
        throw SigningRefused.invalidRequest("More hashes than the SAD still allows (" + remaining + ")");
      }
      var consume = h.prepareBatch("UPDATE sad_digests SET consumed = TRUE WHERE sad_id = :s AND idx = :i");
      for (Integer idx : claim(h, sadId, digests)) {
        consume.bind("s", sadId).bind("i", idx).add();
      }
      consume.execute();
      h.createUpdate("UPDATE sads SET remaining = remaining - :n WHERE id = :s").bind("n", digests.size())
          .bind("s", sadId).execute();
      List<byte[]> values = sign(credential, escrow(row), token, sadId, algorithm, digests);
      audit.append(h, "signature.created", clientId, userId, Map.of("credential", credentialId, "sad", sadId,
          "signAlgorithm", algorithm.name(), "digests", hex(digests)));
      return values;
    });
  }

  /** Maps each requested digest to a distinct, unconsumed authorised occurrence. */
  private static List<Integer> claim(org.jdbi.v3.core.Handle h, String sadId, List<byte[]> digests) {
    List<Map<String, Object>> open = new ArrayList<>(h.createQuery(
        "SELECT idx, digest FROM sad_digests WHERE sad_id = :s AND consumed = FALSE ORDER BY idx")
        .bind("s", sadId).mapToMap().list());
    List<Integer> claimed = new ArrayList<>();
    for (byte[] d : digests) {
      Map<String, Object> match = open.stream()
          .filter(r -> MessageDigest.isEqual((byte[]) r.get("digest"), d)).findFirst()
          .orElseThrow(() -> SigningRefused.invalidRequest("Hash is not authorized by the SAD"));
      open.remove(match);
      claimed.add(((Number) match.get("idx")).intValue());
    }
    return claimed;
  }

  private static SoftwareVault.Escrow escrow(Map<String, Object> sadRow) {
    return new SoftwareVault.Escrow((byte[]) sadRow.get("escrow"), ((Number) sadRow.get("master_gen")).intValue());
  }

  private List<byte[]> sign(Accounts.Credential credential, SoftwareVault.Escrow escrow, byte[] token, String sadId,
      SignatureAlgorithm algorithm, List<byte[]> digests) {
    try (SoftwareVault.Unlocked unlocked = vault.unlockWithSad(escrow, token, sadId)) {
      PrivateKey key = keys.open(credential.sealedKey(), credential.id(), unlocked);
      List<byte[]> out = new ArrayList<>(digests.size());
      for (byte[] d : digests) {
        byte[] value = DigestSignatures.sign(keys.signingProvider(), key, algorithm, d);
        if (!DigestSignatures.verify(credential.certificate().getPublicKey(), algorithm, d, value)) {
          throw new IllegalStateException("A signature of credential " + credential.id() + " does not verify");
        }
        out.add(value);
      }
      return out;
    } catch (SoftwareVault.Refused e) {
      throw SigningRefused.invalidSad("Invalid SAD");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw SigningRefused.invalidRequest("Invalid parameter signAlgo: " + algorithm + " is not available in this vault");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Signing failed for credential " + credential.id(), e);
    }
  }

  private Accounts.Credential activeCredential(String userId, String credentialId) throws SigningRefused {
    return accounts.credentialById(credentialId)
        .filter(c -> c.usable() && c.credential().userId().equals(userId))
        .map(Accounts.OwnedCredential::credential)
        .orElseThrow(() -> SigningRefused.invalidRequest("Invalid parameter credentialID"));
  }

  private static void checkDigests(DigestAlgorithm algorithm, List<byte[]> digests) {
    if (digests == null || digests.isEmpty()) {
      throw SigningRefused.invalidRequest("Missing (or invalid type) array parameter hashes");
    }
    for (byte[] d : digests) {
      if (d == null || d.length != algorithm.length()) {
        throw SigningRefused.invalidRequest("Invalid digest value length");
      }
    }
  }

  private static void checkAlgorithmFitsKey(Accounts.Credential credential, SignatureAlgorithm algorithm) {
    boolean ec = "EC".equals(credential.spec().algorithm());
    if (ec != (algorithm.scheme() == SignatureAlgorithm.Scheme.ECDSA)) {
      throw SigningRefused.invalidRequest("Invalid parameter signAlgo: the credential's key is " + credential.spec());
    }
  }

  private static byte[] decodeSad(String sad) {
    try {
      byte[] token = Base64.getUrlDecoder().decode(sad == null ? "" : sad);
      if (token.length != 32) {
        throw SigningRefused.invalidSad("Invalid SAD");
      }
      return token;
    } catch (IllegalArgumentException e) {
      throw SigningRefused.invalidSad("Invalid SAD");
    }
  }

  private static List<String> hex(List<byte[]> digests) {
    List<String> out = new ArrayList<>();
    digests.forEach(d -> out.add(HexFormat.of().formatHex(d)));
    return out;
  }
}
