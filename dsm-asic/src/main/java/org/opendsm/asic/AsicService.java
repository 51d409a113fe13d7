package org.opendsm.asic;

import java.util.List;
import org.opendsm.Document;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureLevel;
import org.opendsm.SignedDocument;
import org.opendsm.Signer;
import org.opendsm.asic.internal.DefaultAsicService;

/**
 * Associated Signature Containers (ETSI EN 319 162): several files and their CAdES or XAdES
 * signatures in one ZIP, which any ASiC reader (DSS, the EU's DSS demo, national apps) opens.
 *
 * <pre>{@code
 * AsicService asic = AsicService.create(settings);
 * SignedDocument container = asic.sign(List.of(contract, annex, scan),
 *     AsicOptions.builder().type(AsicType.EXTENDED).level(SignatureLevel.LT).build(), signer);
 * container.writeTo(Path.of("loan.asice"));
 * }</pre>
 *
 * <p>Verify with {@link org.opendsm.Verifier}: it reads containers like any signed document.
 * Thread-safe.
 */
public interface AsicService {
  static AsicService create(ServiceSettings settings) {
    return new DefaultAsicService(settings);
  }

  /** A new container holding {@code files} and one signature over all of them. */
  SignedDocument sign(List<Document> files, AsicOptions options, Signer signer);

  /**
   * Another signature over the files of {@code container} (another signer; the earlier
   * signatures stay valid). {@code options} must name the container's type and format.
   */
  SignedDocument addSignature(Document container, AsicOptions options, Signer signer);

  /** The container's signatures extended to T, LT or LTA. */
  SignedDocument extend(Document container, SignatureLevel level);

  /** The signed files inside {@code container}, by their names in it. */
  List<Document> contents(Document container);
}
