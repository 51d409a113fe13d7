package org.opendsm.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendsm.Secret;
import org.opendsm.ServiceSettings;
import org.opendsm.pades.PadesOptions;
import org.opendsm.pades.PadesService;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;
import org.opendsm.testing.TrustingHttp;

/**
 * The viewer: signatures listed with their reasons, a preview, the reports; XML shown safely; no
 * signature and oversized uploads said plainly. (The browser test checks a valid contract.)
 */
class ViewerPageTest {
  private static ReferenceServer server;
  private static OkHttpClient http;

  @BeforeAll
  static void start() throws Exception {
    server = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(-1)
        .withDataDirectory(Files.createTempDirectory("dsm-viewer")).withAdminToken(Secret.of("viewer-admin-token")));
    http = new OkHttpClient.Builder().sslSocketFactory(TrustingHttp.sslContext(server.tlsCertificate())
        .getSocketFactory(), TrustingHttp.trustManager(server.tlsCertificate())).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aPdfSignedUnderAnotherRoot_isListedWithItsReasons_aPreviewAndTheReports() throws Exception {
    byte[] signed;
    try (TestPki pki = TestPki.start()) {
      signed = PadesService.create(ServiceSettings.defaults()).sign(Samples.pdf(), PadesOptions.builder().build(),
          pki.identity(KeyType.EC_P256).signer()).document().readAllBytes();
    }
    String page = upload("contract.pdf", signed, "application/pdf");

    assertThat(page).contains("contract.pdf: 1 signature(s)").contains("PAdES-BASELINE-B")
        .contains("INDETERMINATE").contains("<ol><li>");
    assertThat(page).contains("alt=\"Preview of the signed content\"").contains("src=\"data:image/png;base64,");
    assertThat(page).contains("download=\"diagnostic-data.xml\"").contains("download=\"report.html\"");
  }

  @Test
  void xmlIsPrettyPrintedEscaped_andADoctypeIsRefused() throws Exception {
    String plain = upload("data.xml", "<a><b>x &lt; y</b></a>".getBytes(StandardCharsets.UTF_8), "text/xml");
    assertThat(plain).contains("No signature found").contains("&lt;b&gt;x &amp;lt; y&lt;/b&gt;");

    String bomb = upload("bomb.xml", ("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
        + "<a>&e;</a>").getBytes(StandardCharsets.UTF_8), "text/xml");
    assertThat(bomb).doesNotContain("root:").doesNotContain("<pre class=\"xml\">");
  }

  @Test
  void anUploadOverTheLimit_isRefusedPlainly() throws Exception {
    byte[] big = new byte[21 * 1024 * 1024];
    RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("file", "big.bin", RequestBody.create(big, MediaType.get("application/octet-stream"))).build();
    try (Response r = http.newCall(new Request.Builder().url(server.baseUrl() + "/viewer").post(body).build()).execute()) {
      assertThat(r.code()).isIn(400, 413);
    }
  }

  private static String upload(String name, byte[] content, String type) throws Exception {
    RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("file", name, RequestBody.create(content, MediaType.get(type))).build();
    try (Response r = http.newCall(new Request.Builder().url(server.baseUrl() + "/viewer").post(body).build()).execute()) {
      assertThat(r.header("Content-Security-Policy")).contains("default-src 'none'");
      return r.body().string();
    }
  }
}
