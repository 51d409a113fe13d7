package org.opendsm.server.internal.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.server.internal.ServerFixture;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.signing.SigningService;
import org.opendsm.server.internal.store.Database;
import org.opendsm.testing.ExternalTools;

/**
 * The PKCS#11 vault on a real token (SoftHSM2, initialised by .ci/run; SOFTHSM2_CONF and
 * DSM_TEST_PKCS11_LIBRARY in the environment): keys made in the token, never extractable, used
 * only through the SAD.
 */
@Tag("pkcs11")
class Pkcs11KeyStorageTest {
  @TempDir Path dir;
  private Pkcs11KeyStorage token;

  @BeforeEach
  void open() {
    String library = System.getenv("DSM_TEST_PKCS11_LIBRARY");
    if (library == null || System.getenv("SOFTHSM2_CONF") == null) {
      ExternalTools.skipOrFail("No PKCS#11 token: set SOFTHSM2_CONF and DSM_TEST_PKCS11_LIBRARY (see .ci/run)");
    }
    token = Pkcs11KeyStorage.open(library, 0, Secret.of(System.getenv().getOrDefault("DSM_TEST_PKCS11_PIN", "1234")));
  }

  @ParameterizedTest
  @CsvSource({"EC_P256,ECDSA_SHA256", "EC_P384,ECDSA_SHA384", "RSA_2048,RSA_SHA256"})
  void keyMadeInTheToken_signsThroughTheSad_andNeverLeavesIt(KeySpec spec, SignatureAlgorithm algorithm)
      throws Exception {
    ServerFixture f = new ServerFixture(Database.embedded(dir), token);
    SigningService signing = new SigningService(f.db.jdbi(), f.accounts, f.vault, token, f.audit, f.clock);
    byte[] seed = f.enrol("alice", spec);
    Accounts.Credential c = f.accounts.credentials("alice").get(0);
    byte[] digest = algorithm.digestAlgorithm().digest(new byte[] {1, 2, 3});

    var auth = signing.authorize("bank", "alice", c.id(), ServerFixture.PASSWORD, f.code(seed),
        algorithm.digestAlgorithm(), List.of(digest));
    byte[] value = signing.signHash("bank", "alice", c.id(), auth.sad(), algorithm, List.of(digest)).get(0);

    java.security.Signature v = java.security.Signature.getInstance(algorithm.jcaName());
    v.initVerify(c.certificate());
    v.update(new byte[] {1, 2, 3});
    assertThat(v.verify(value)).isTrue();
    assertThat(token.open(c.sealedKey(), c.id(), null).getEncoded()).as("non-extractable").isNull();
    assertThat(new String(c.sealedKey().sealedPrivateKey())).isEqualTo("pkcs11:" + c.id());
  }

  @org.junit.jupiter.api.Test
  void aRenewedCertificate_isListed_andTheTokenKeySignsOn_withTheHandleItHadBefore() throws Exception {
    ServerFixture f = new ServerFixture(Database.embedded(dir), token);
    SigningService signing = new SigningService(f.db.jdbi(), f.accounts, f.vault, token, f.audit, f.clock);
    byte[] seed = f.enrol("bert", KeySpec.EC_P256);
    Accounts.Credential before = f.accounts.credentials("bert").get(0);
    byte[] first = DigestAlgorithm.SHA256.digest(new byte[] {1});
    var firstAuth = signing.authorize("bank", "bert", before.id(), ServerFixture.PASSWORD, f.code(seed),
        DigestAlgorithm.SHA256, List.of(first));
    signing.signHash("bank", "bert", before.id(), firstAuth.sad(), SignatureAlgorithm.ECDSA_SHA256, List.of(first));
    f.nextStep(); // the key's handle is now cached

    java.security.cert.X509Certificate renewed = f.accounts.renewCertificate("admin", before.id());
    byte[] digest = DigestAlgorithm.SHA256.digest(new byte[] {4, 5, 6});
    var auth = signing.authorize("bank", "bert", before.id(), ServerFixture.PASSWORD, f.code(seed),
        DigestAlgorithm.SHA256, List.of(digest));
    byte[] value = signing.signHash("bank", "bert", before.id(), auth.sad(), SignatureAlgorithm.ECDSA_SHA256,
        List.of(digest)).get(0);

    assertThat(renewed.getSerialNumber()).isNotEqualTo(before.certificate().getSerialNumber());
    assertThat(renewed.getPublicKey()).isEqualTo(before.certificate().getPublicKey());
    assertThat(f.accounts.credentials("bert").get(0).certificate()).isEqualTo(renewed);
    assertThat(org.opendsm.internal.DigestSignatures.verify(renewed.getPublicKey(), SignatureAlgorithm.ECDSA_SHA256,
        digest, value)).isTrue();
    assertThat(f.accounts.certificateSerials(before.id()))
        .containsExactly(before.certificate().getSerialNumber(), renewed.getSerialNumber());
  }
}
