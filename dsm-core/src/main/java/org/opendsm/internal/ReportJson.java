package org.opendsm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.opendsm.SignatureReport;
import org.opendsm.VerificationReport;

/** The JSON summary of a {@link VerificationReport}. */
public final class ReportJson {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  public static String write(VerificationReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("document", report.documentName());
    root.put("allPassed", report.allPassed());
    ArrayNode sigs = root.putArray("signatures");
    for (SignatureReport s : report.signatures()) {
      ObjectNode n = sigs.addObject();
      n.put("id", s.id());
      n.put("signer", s.signer());
      n.put("signingTime", text(s.signingTime()));
      n.put("bestSignatureTime", text(s.bestSignatureTime()));
      n.put("format", s.format() == null ? null : s.format().name());
      n.put("formatName", s.formatName());
      n.put("level", s.level() == null ? null : s.level().name());
      n.put("indication", s.indication().name());
      n.put("subIndication", s.subIndication());
      s.errors().forEach(n.putArray("errors")::add);
      s.warnings().forEach(n.putArray("warnings")::add);
      n.put("counterSignatureOf", s.counterSignatureOf());
      ObjectNode attributes = n.putObject("attributes");
      s.attributes().commitmentTypes().forEach(attributes.putArray("commitmentTypes")::add);
      s.attributes().claimedRoles().forEach(attributes.putArray("claimedRoles")::add);
      attributes.put("signerLocation", s.attributes().signerLocation());
      attributes.put("contentHints", s.attributes().contentHints());
      if (s.attributes().policy() != null) {
        SignatureReport.PolicyReport p = s.attributes().policy();
        attributes.putObject("policy").put("id", p.id()).put("url", p.url()).put("identified", p.identified())
            .put("problem", p.problem()).put("userNotice", p.userNotice());
      }
      ArrayNode custom = attributes.putArray("custom");
      for (org.opendsm.CustomAttribute c : s.attributes().custom()) {
        if (c instanceof org.opendsm.CustomAttribute.Cms cms) {
          custom.addObject().put("oid", cms.oid()).put("value", java.util.Base64.getEncoder().encodeToString(cms.value()));
        } else {
          custom.addObject().put("xml", ((org.opendsm.CustomAttribute.Xml) c).element());
        }
      }
      timestamps(n.putArray("timestamps"), s.timestamps());
    }
    timestamps(root.putArray("timestamps"), report.timestamps());
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void timestamps(ArrayNode out, java.util.List<SignatureReport.TimestampReport> timestamps) {
    for (SignatureReport.TimestampReport t : timestamps) {
      out.addObject().put("id", t.id()).put("type", t.type())
          .put("productionTime", text(t.productionTime())).put("producedBy", t.producedBy())
          .put("indication", t.indication().name());
    }
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }
}
