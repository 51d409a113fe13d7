package org.opendsm.server.internal.http;

import com.github.mustachejava.Mustache;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.opendsm.Secret;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.accounts.AuthenticationException;
import org.opendsm.server.internal.accounts.PasswordPolicy;
import org.opendsm.server.internal.vault.KeySpec;

/**
 * {@code /enroll}: the page a new user opens with the enrolment code from the administrator.
 * Step 1 chooses the signing password (the server's rules, checked on submit); step 2 shows the
 * authenticator set-up as a QR code (rendered here with ZXing, inline, nothing fetched) and as
 * text, and takes the first code with the password again (the password is never kept between
 * pages); then the key is made in the vault and the certificate issued.
 */
final class EnrolmentPages {
  private final Accounts accounts;
  private final Mustache template;

  EnrolmentPages(Accounts accounts, Mustache template) {
    this.accounts = accounts;
    this.template = template;
  }

  void register(JavalinConfig config) {
    config.routes.get("/enroll", this::show);
    config.routes.post("/enroll", this::submit);
  }

  private void show(Context ctx) {
    Pages.headersWithInlineImages(ctx);
    Map<String, Object> model = new HashMap<>();
    String code = ctx.queryParam("code");
    model.put("code", code == null ? "" : code);
    model.put("choose", true);
    render(ctx, 200, model);
  }

  private void submit(Context ctx) {
    Pages.headersWithInlineImages(ctx);
    String code = ctx.formParam("code") == null ? "" : ctx.formParam("code").trim();
    Map<String, Object> model = new HashMap<>();
    model.put("code", code);
    try (Secret password = Secret.of(ctx.formParam("password") == null ? "" : ctx.formParam("password"))) {
      if ("complete".equals(ctx.formParam("step"))) {
        complete(ctx, code, password, model);
      } else {
        begin(ctx, code, password, model);
      }
    }
  }

  private void begin(Context ctx, String code, Secret password, Map<String, Object> model) {
    String confirm = ctx.formParam("confirm") == null ? "" : ctx.formParam("confirm");
    model.put("choose", true);
    if (!password.reveal().equals(confirm)) {
      model.put("error", "The two passwords differ. Type the same password twice.");
      render(ctx, 400, model);
      return;
    }
    try {
      Accounts.TotpSetup setup = accounts.beginEnrolment(code, password);
      model.remove("choose");
      scan(model, setup);
      render(ctx, 200, model);
    } catch (IllegalArgumentException e) {
      model.put("error", e.getMessage());
      render(ctx, 400, model);
    }
  }

  private void complete(Context ctx, String code, Secret password, Map<String, Object> model) {
    String otp = ctx.formParam("otp") == null ? "" : ctx.formParam("otp").trim();
    try {
      Accounts.Credential credential = accounts.completeEnrolment(code, password, otp, KeySpec.EC_P256);
      X509Certificate cert = credential.certificate();
      model.put("done", Map.of("subject", Pages.readableSubject(cert),
          "serial", cert.getSerialNumber().toString(16), "validUntil", cert.getNotAfter().toInstant().toString(),
          "credential", credential.id()));
      render(ctx, 201, model);
    } catch (AuthenticationException e) {
      retryScan(ctx, code, model, e.isLocked() ? e.getMessage()
          : "The password or the code is wrong. Type the password of step 1 and the code your app shows now.");
    } catch (IllegalArgumentException e) {
      model.put("choose", true);
      model.put("error", e.getMessage());
      render(ctx, 400, model);
    }
  }

  private void retryScan(Context ctx, String code, Map<String, Object> model, String error) {
    model.put("error", error);
    accounts.pendingTotpSetup(code).ifPresentOrElse(setup -> scan(model, setup), () -> model.put("choose", true));
    render(ctx, 400, model);
  }

  /** The authenticator set-up as the page shows it: a QR code and the key in groups of four. */
  static void scan(Map<String, Object> model, Accounts.TotpSetup setup) {
    model.put("scan", Map.of("qr", "data:image/png;base64," + Base64.getEncoder().encodeToString(qr(setup.otpauthUri())),
        "secret", grouped(setup.secretBase32()), "uri", setup.otpauthUri()));
  }

  private void render(Context ctx, int status, Map<String, Object> model) {
    model.put("minLength", PasswordPolicy.MIN_LENGTH);
    ctx.status(status).html(Pages.render(template, model));
  }

  /** The otpauth URI as a QR code PNG (error correction M, quiet zone 4 modules, 6 px per module). */
  static byte[] qr(String text) {
    try {
      BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
      int scale = 6;
      BufferedImage image = new BufferedImage(m.getWidth() * scale, m.getHeight() * scale, BufferedImage.TYPE_BYTE_BINARY);
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          image.setRGB(x, y, m.get(x / scale, y / scale) ? 0x000000 : 0xFFFFFF);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (WriterException e) {
      throw new IllegalStateException("Cannot encode the authenticator set-up as a QR code", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Base32 in groups of four, easier to type into an app by hand. */
  private static String grouped(String secret) {
    return secret.replaceAll("(.{4})(?!$)", "$1 ");
  }
}
