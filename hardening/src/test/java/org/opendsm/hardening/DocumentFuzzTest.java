package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.SignaturePackaging;
import org.opendsm.TrustSettings;
import org.opendsm.VerificationReport;
import org.opendsm.Verifier;
import org.opendsm.cades.CadesOptions;
import org.opendsm.cades.CadesService;
import org.opendsm.pades.PadesOptions;
import org.opendsm.pades.PadesService;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;
import org.opendsm.xades.XadesOptions;
import org.opendsm.xades.XadesService;

/**
 * The SDK's document inputs under mutation: signed PDFs, CMS and XML, and unsigned inputs to be
 * signed, with bytes flipped, cut, duplicated or spliced in. Every input is read (a report) or
 * refused with {@link InvalidDocumentException}; no other exception, no hang.
 */
class DocumentFuzzTest {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final TestPki PKI = TestPki.shared();
  private static final Verifier VERIFIER = Verifier.create(TrustSettings.builder()
      .addTrustAnchor(PKI.rootCertificate()).onlineRevocation(false).networkTimeout(Duration.ofSeconds(1)).build());
  private static List<byte[]> signed;

  @BeforeContainer
  static void makeSeeds() {
    var signer = PKI.identity(KeyType.EC_P256).signer();
    signed = List.of(
        PadesService.create(PKI.serviceSettings()).sign(Samples.pdf(), PadesOptions.builder().build(), signer).bytes(),
        CadesService.create(PKI.serviceSettings()).sign(Samples.png(), CadesOptions.builder()
            .packaging(SignaturePackaging.ENVELOPING).build(), signer).bytes(),
        XadesService.create(PKI.serviceSettings()).sign(Samples.xml(), XadesOptions.builder().build(), signer).bytes());
  }

  @Property(tries = 150)
  void aMutatedSignedDocument_isVerifiedOrRefused(@ForAll("seed") int which, @ForAll("mutation") Mutation m) {
    byte[] input = m.apply(signed.get(which));

    VerificationReport report = assertTimeoutPreemptively(BOUND, () -> {
      try {
        return VERIFIER.verify(Document.of(input, "fuzz"));
      } catch (InvalidDocumentException refused) {
        return null;
      }
    });

    if (report != null) {
      // Read: every signature found carries an outcome (a change in unsigned parts may pass).
      assertThat(report.signatures()).allSatisfy(s -> assertThat(s.indication()).isNotNull());
    }
  }

  @Property(tries = 100)
  void aMutatedInputToSign_isSignedOrRefused(@ForAll("unsigned") int which, @ForAll("mutation") Mutation m) {
    Document input = Document.of(m.apply(unsigned(which)), which == 0 ? "fuzz.pdf" : "fuzz.xml");
    var signer = PKI.identity(KeyType.EC_P256).signer();

    assertTimeoutPreemptively(BOUND, () -> {
      try {
        byte[] out = which == 0
            ? PadesService.create(PKI.serviceSettings()).sign(input, PadesOptions.builder().build(), signer).bytes()
            : XadesService.create(PKI.serviceSettings()).sign(input, XadesOptions.builder().build(), signer).bytes();
        assertThat(VERIFIER.verify(Document.of(out, "signed")).signatures()).isNotEmpty();
      } catch (InvalidDocumentException refused) {
        assertThat(refused.getMessage()).isNotBlank();
      }
    });
  }

  private static byte[] unsigned(int which) {
    return which == 0 ? Samples.bytes("sample.pdf") : Samples.bytes("sample.xml");
  }

  @Provide
  Arbitrary<Integer> seed() {
    return Arbitraries.integers().between(0, 2);
  }

  @Provide
  Arbitrary<Integer> unsigned() {
    return Arbitraries.integers().between(0, 1);
  }

  /** One change to a byte string, at positions given as fractions of its length. */
  record Mutation(int kind, double at, double span, byte value) {
    byte[] apply(byte[] in) {
      int i = (int) (at * in.length);
      int n = Math.max(1, (int) (span * Math.min(in.length, 4096)));
      return switch (kind) {
        case 0 -> { // flip one byte
          byte[] out = in.clone();
          out[Math.min(i, in.length - 1)] ^= (byte) (value == 0 ? 1 : value);
          yield out;
        }
        case 1 -> Arrays.copyOf(in, i); // truncate
        case 2 -> { // duplicate a range
          int end = Math.min(in.length, i + n);
          byte[] out = new byte[in.length + (end - i)];
          System.arraycopy(in, 0, out, 0, end);
          System.arraycopy(in, i, out, end, in.length - i);
          yield out;
        }
        case 3 -> { // overwrite a range with one value
          byte[] out = in.clone();
          Arrays.fill(out, i, Math.min(in.length, i + n), value);
          yield out;
        }
        default -> { // remove a range
          int end = Math.min(in.length, i + n);
          byte[] out = new byte[in.length - (end - i)];
          System.arraycopy(in, 0, out, 0, i);
          System.arraycopy(in, end, out, i, in.length - end);
          yield out;
        }
      };
    }
  }

  @Provide
  Arbitrary<Mutation> mutation() {
    return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.doubles().between(0, 1),
        Arbitraries.doubles().between(0, 1), Arbitraries.bytes()).as(Mutation::new);
  }
}
