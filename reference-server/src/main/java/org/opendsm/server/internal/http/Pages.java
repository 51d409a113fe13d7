package org.opendsm.server.internal.http;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import io.javalin.http.Context;
import java.io.StringWriter;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * What every web page of the service shares: Mustache templates (HTML-escaped) from
 * {@code org/opendsm/server/web}, one stylesheet, no script, no external resource, and strict
 * security headers.
 */
final class Pages {
  private static final MustacheFactory TEMPLATES = new DefaultMustacheFactory("org/opendsm/server/web");
  // form-action covers the redirect after a form: to clients on https, or on localhost while developing.
  private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self';"
      + " form-action 'self' https: http://localhost:* http://127.0.0.1:*;"
      + " frame-ancestors 'none'; base-uri 'none'";
  /** Pages that show an image made for the request (a QR code, a preview) inline. */
  private static final String CSP_INLINE_IMAGES = CSP.replace("img-src 'self';", "img-src 'self' data:;");

  private Pages() {}

  static Mustache template(String name) {
    return TEMPLATES.compile(name);
  }

  static String render(Mustache template, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    template.execute(out, model);
    return out.toString();
  }

  /** A certificate's subject as a person reads it ({@code SERIALNUMBER=…,CN=…,C=…}). */
  static String readableSubject(X509Certificate certificate) {
    return X500Name.getInstance(BCStyle.INSTANCE, certificate.getSubjectX500Principal().getEncoded()).toString();
  }

  static void headers(Context ctx) {
    common(ctx);
    ctx.header("Content-Security-Policy", CSP);
  }

  static void headersWithInlineImages(Context ctx) {
    common(ctx);
    ctx.header("Content-Security-Policy", CSP_INLINE_IMAGES);
  }

  private static void common(Context ctx) {
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  }
}
