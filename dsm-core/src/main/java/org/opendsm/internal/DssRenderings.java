package org.opendsm.internal;

import eu.europa.esig.dss.detailedreport.DetailedReportFacade;
import eu.europa.esig.dss.simplereport.SimpleReportFacade;
import eu.europa.esig.dss.validation.reports.Reports;
import org.opendsm.DsmException;
import org.opendsm.VerificationReport;

/** DSS's XML and HTML reports, rendered on demand. */
final class DssRenderings implements VerificationReport.Renderings {
  private final Reports reports;

  DssRenderings(Reports reports) {
    this.reports = reports;
  }

  @Override
  public String simpleXml() {
    return reports.getXmlSimpleReport();
  }

  @Override
  public String detailedXml() {
    return reports.getXmlDetailedReport();
  }

  @Override
  public String diagnosticXml() {
    return reports.getXmlDiagnosticData();
  }

  @Override
  public String etsiXml() {
    return reports.getXmlValidationReport();
  }

  @Override
  public String html() {
    try {
      String simple = SimpleReportFacade.newFacade().generateHtmlReport(reports.getSimpleReportJaxb());
      String detailed =
          DetailedReportFacade.newFacade().generateHtmlReport(reports.getDetailedReportJaxb());
      return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>OpenDSM validation report"
          + "</title></head><body>\n<h1>Simple report</h1>\n" + body(simple)
          + "\n<h1>Detailed report</h1>\n" + body(detailed) + "\n</body></html>\n";
    } catch (Exception e) {
      throw new DsmException("Cannot render the HTML report: " + e.getMessage(), e);
    }
  }

  /** DSS renders full pages; keep what is inside their body so both fit in one page. */
  private static String body(String page) {
    int start = page.indexOf("<body");
    int end = page.lastIndexOf("</body>");
    if (start < 0 || end < 0) {
      return page;
    }
    return page.substring(page.indexOf('>', start) + 1, end);
  }
}
