package org.opendsm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import org.opendsm.CommitmentType;
import org.opendsm.CustomAttribute;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignaturePolicy;
import org.opendsm.SignedAttributes;
import org.opendsm.SignerLocation;

/**
 * {@link SignedAttributes} as text inside a prepared signature (which must rebuild exactly the
 * same signed attributes at completion), and as DSS's B-level parameters.
 */
public final class SignedAttributesCodec {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private SignedAttributesCodec() {}

  private record Location(String country, String locality, String postalCode, String streetAddress) {}

  private record Policy(String id, String digestAlgorithm, String digest, String uri, String description,
      String userNotice) {}

  /** A custom attribute: a CMS one (oid, base64 DER value) or an XML one. */
  private record Custom(String oid, String value, String xml) {}

  private record Wire(List<String> commitmentTypes, List<String> claimedRoles, Location signerLocation, Policy policy,
      boolean contentTimestamp, List<Custom> custom) {}

  public static String encode(SignedAttributes a) {
    SignerLocation l = a.signerLocation();
    SignaturePolicy p = a.policy();
    Wire w = new Wire(a.commitmentTypes().stream().map(Enum::name).toList(), a.claimedRoles(),
        l == null ? null : new Location(l.country(), l.locality(), l.postalCode(), l.streetAddress()),
        p == null ? null : new Policy(p.id(), p.digestAlgorithm().name(), Base64.getEncoder().encodeToString(p.digest()),
            p.uri() == null ? null : p.uri().toString(), p.description(), p.userNotice()),
        a.contentTimestamp(), a.custom().stream().map(SignedAttributesCodec::wire).toList());
    try {
      return JSON.writeValueAsString(w);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @throws IllegalArgumentException if {@code text} is not what {@link #encode} writes */
  public static SignedAttributes decode(String text) {
    try {
      Wire w = JSON.readValue(text, Wire.class);
      Location l = w.signerLocation();
      Policy p = w.policy();
      return new SignedAttributes(w.commitmentTypes().stream().map(CommitmentType::valueOf).toList(), w.claimedRoles(),
          l == null ? null : new SignerLocation(l.country(), l.locality(), l.postalCode(), l.streetAddress()),
          p == null ? null : new SignaturePolicy(p.id(), DigestAlgorithm.valueOf(p.digestAlgorithm()),
              Base64.getDecoder().decode(p.digest()), p.uri() == null ? null : URI.create(p.uri()), p.description(),
              p.userNotice()),
          w.contentTimestamp(), w.custom() == null ? List.of()
              : w.custom().stream().map(SignedAttributesCodec::custom).toList());
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("The prepared signature has invalid signed attributes: " + e.getMessage(), e);
    }
  }

  private static Custom wire(CustomAttribute c) {
    if (c instanceof CustomAttribute.Cms cms) {
      return new Custom(cms.oid(), Base64.getEncoder().encodeToString(cms.value()), null);
    }
    return new Custom(null, null, ((CustomAttribute.Xml) c).element());
  }

  private static CustomAttribute custom(Custom c) {
    return c.xml() != null ? CustomAttribute.xml(c.xml()) : CustomAttribute.cms(c.oid(), Base64.getDecoder().decode(c.value()));
  }

  /** Sets the attributes on DSS's B-level parameters (custom attributes are the format's to place). */
  public static void apply(SignedAttributes a, eu.europa.esig.dss.model.BLevelParameters b) {
    if (!a.commitmentTypes().isEmpty()) {
      b.setCommitmentTypeIndications(a.commitmentTypes().stream()
          .<eu.europa.esig.dss.enumerations.CommitmentType>map(SignedAttributesCodec::dss).toList());
    }
    if (!a.claimedRoles().isEmpty()) {
      b.setClaimedSignerRoles(a.claimedRoles());
    }
    SignerLocation l = a.signerLocation();
    if (l != null) {
      var location = new eu.europa.esig.dss.model.SignerLocation();
      location.setCountry(l.country());
      location.setLocality(l.locality());
      location.setPostalCode(l.postalCode());
      location.setStreetAddress(l.streetAddress());
      b.setSignerLocation(location);
    }
    SignaturePolicy p = a.policy();
    if (p != null) {
      var policy = new eu.europa.esig.dss.model.Policy();
      policy.setId(p.id());
      policy.setDigestAlgorithm(Dss.digest(p.digestAlgorithm()));
      policy.setDigestValue(p.digest());
      if (p.uri() != null) {
        policy.setSpuri(p.uri().toString());
      }
      policy.setDescription(p.description());
      if (p.userNotice() != null) {
        var notice = new eu.europa.esig.dss.model.UserNotice();
        notice.setExplicitText(p.userNotice());
        policy.setUserNotice(notice);
      }
      b.setSignaturePolicy(policy);
    }
  }

  /**
   * CAdES's signer-location (RFC 5126 5.11.2) has a country, a locality and postal address lines:
   * street and postal code become those lines. For CAdES and ASiC with CAdES.
   */
  public static void applyCadesLocation(SignedAttributes a, eu.europa.esig.dss.model.BLevelParameters b) {
    SignerLocation l = a.signerLocation();
    if (l != null && (l.streetAddress() != null || l.postalCode() != null)) {
      List<String> lines = new java.util.ArrayList<>();
      if (l.streetAddress() != null) {
        lines.add(l.streetAddress());
      }
      if (l.postalCode() != null) {
        lines.add(l.postalCode());
      }
      b.getSignerLocation().setPostalAddress(lines);
    }
  }

  private static eu.europa.esig.dss.enumerations.CommitmentTypeEnum dss(CommitmentType t) {
    return switch (t) {
      case PROOF_OF_ORIGIN -> eu.europa.esig.dss.enumerations.CommitmentTypeEnum.ProofOfOrigin;
      case PROOF_OF_RECEIPT -> eu.europa.esig.dss.enumerations.CommitmentTypeEnum.ProofOfReceipt;
      case PROOF_OF_DELIVERY -> eu.europa.esig.dss.enumerations.CommitmentTypeEnum.ProofOfDelivery;
      case PROOF_OF_SENDER -> eu.europa.esig.dss.enumerations.CommitmentTypeEnum.ProofOfSender;
      case PROOF_OF_APPROVAL -> eu.europa.esig.dss.enumerations.CommitmentTypeEnum.ProofOfApproval;
      case PROOF_OF_CREATION -> eu.europa.esig.dss.enumerations.CommitmentTypeEnum.ProofOfCreation;
    };
  }
}
