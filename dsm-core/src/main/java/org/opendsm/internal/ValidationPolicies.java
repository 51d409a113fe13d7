package org.opendsm.internal;

import eu.europa.esig.dss.enumerations.Level;
import eu.europa.esig.dss.model.policy.ValidationPolicy;
import eu.europa.esig.dss.policy.EtsiValidationPolicy;
import eu.europa.esig.dss.policy.ValidationPolicyFacade;
import eu.europa.esig.dss.policy.jaxb.ConstraintsParameters;
import eu.europa.esig.dss.policy.jaxb.LevelConstraint;
import java.io.InputStream;

/**
 * The validation policy OpenDSM verifies with: DSS's default ("QES AdESQC TL based") with one
 * change. A signature that names a signature policy whose document can be obtained but whose
 * digest differs from the signed one fails (DSS only warns): the signer committed to rules that
 * are not the ones published. A policy document that cannot be fetched stays informational.
 */
final class ValidationPolicies {
  private static final ValidationPolicy DEFAULT = load();

  private ValidationPolicies() {}

  static ValidationPolicy standard() {
    return DEFAULT;
  }

  private static ValidationPolicy load() {
    try (InputStream in = ValidationPolicyFacade.class.getResourceAsStream("/policy/constraint.xml")) {
      if (in == null) {
        throw new IllegalStateException("DSS's default validation policy is not on the class path");
      }
      ConstraintsParameters constraints = ValidationPolicyFacade.newFacade().unmarshall(in);
      LevelConstraint hashMatch = new LevelConstraint();
      hashMatch.setLevel(Level.FAIL);
      constraints.getSignatureConstraints().setPolicyHashMatch(hashMatch);
      if (constraints.getCounterSignatureConstraints() != null) {
        LevelConstraint counterHashMatch = new LevelConstraint();
        counterHashMatch.setLevel(Level.FAIL);
        constraints.getCounterSignatureConstraints().setPolicyHashMatch(counterHashMatch);
      }
      return new EtsiValidationPolicy(constraints);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot load DSS's default validation policy", e);
    }
  }
}
