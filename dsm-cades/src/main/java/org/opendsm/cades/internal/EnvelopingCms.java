package org.opendsm.cades.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.BEROctetStringGenerator;
import org.bouncycastle.asn1.BERSequenceGenerator;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DLTaggedObject;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.opendsm.Document;
import org.opendsm.MediaType;
import org.opendsm.SigningException;

/**
 * Turns a detached CMS signature into an enveloping one by streaming the content into it.
 *
 * <p>A CAdES signature covers the content only through the messageDigest attribute, so the
 * SignerInfos of a detached signature stay valid once the content is encapsulated. The output is
 * produced on demand from three parts: a header, the content as a BER constructed OCTET STRING
 * (64 KiB primitive chunks), and a trailer with certificates, revocation data and SignerInfos,
 * all encoded by Bouncy Castle's ASN.1 generators. Memory use is one chunk, whatever the size.
 */
final class EnvelopingCms {
  private static final int CHUNK = 64 * 1024;

  private EnvelopingCms() {}

  /**
   * The enveloping signature of {@code content}, read from {@code content} whenever the returned
   * document is read; {@code content} must stay unchanged until then.
   */
  static Document wrap(byte[] detachedCms, Document content, String name) {
    SignedData signedData = parse(detachedCms);
    if (signedData.getEncapContentInfo().getContent() != null) {
      throw new IllegalArgumentException("The signature already holds its content");
    }
    byte[][] parts = headerAndTrailer(signedData);
    return Document.ofStream(() -> new SequenceInputStream(Collections.enumeration(List.of(
        new ByteArrayInputStream(parts[0]),
        new OctetChunks(content.openStream()),
        new ByteArrayInputStream(parts[1])))), name, MediaType.PKCS7_MIME);
  }

  private static SignedData parse(byte[] cms) {
    try (ASN1InputStream in = new ASN1InputStream(cms)) {
      ContentInfo info = ContentInfo.getInstance(in.readObject());
      if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
        throw new SigningException("DSS returned a CMS that is not SignedData");
      }
      return SignedData.getInstance(info.getContent());
    } catch (IOException e) {
      throw new SigningException("Cannot read the detached signature DSS made: " + e.getMessage(), e);
    }
  }

  /** Runs Bouncy Castle's BER generators, recording what comes before and after the content. */
  private static byte[][] headerAndTrailer(SignedData sd) {
    try {
      Recorder out = new Recorder();
      BERSequenceGenerator contentInfo = new BERSequenceGenerator(out);
      contentInfo.addObject(CMSObjectIdentifiers.signedData);
      BERSequenceGenerator signedData = new BERSequenceGenerator(contentInfo.getRawOutputStream(), 0, true);
      signedData.addObject(sd.getVersion());
      signedData.getRawOutputStream().write(sd.getDigestAlgorithms().getEncoded(ASN1Encoding.DL));
      BERSequenceGenerator encapsulated = new BERSequenceGenerator(signedData.getRawOutputStream());
      encapsulated.addObject(CMSObjectIdentifiers.data);
      BEROctetStringGenerator octets = new BEROctetStringGenerator(encapsulated.getRawOutputStream(), 0, true);
      OutputStream content = octets.getOctetOutputStream();
      byte[] header = out.take();
      content.close();
      encapsulated.close();
      OutputStream raw = signedData.getRawOutputStream();
      if (sd.getCertificates() != null) {
        raw.write(new DLTaggedObject(false, 0, sd.getCertificates()).getEncoded(ASN1Encoding.DL));
      }
      if (sd.getCRLs() != null) {
        raw.write(new DLTaggedObject(false, 1, sd.getCRLs()).getEncoded(ASN1Encoding.DL));
      }
      raw.write(sd.getSignerInfos().getEncoded(ASN1Encoding.DL));
      signedData.close();
      contentInfo.close();
      return new byte[][] {header, out.take()};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A byte sink that hands over what was written so far. */
  private static final class Recorder extends ByteArrayOutputStream {
    byte[] take() {
      byte[] b = toByteArray();
      reset();
      return b;
    }
  }

  /** The content as a sequence of primitive DER OCTET STRINGs of up to {@link #CHUNK} bytes. */
  private static final class OctetChunks extends InputStream {
    private final InputStream source;
    private byte[] current = new byte[0];
    private int position;
    private boolean done;

    OctetChunks(InputStream source) {
      this.source = source;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position == current.length && !refill()) {
        return -1;
      }
      int n = Math.min(len, current.length - position);
      System.arraycopy(current, position, b, off, n);
      position += n;
      return n;
    }

    private boolean refill() throws IOException {
      if (done) {
        return false;
      }
      byte[] block = source.readNBytes(CHUNK);
      if (block.length == 0) {
        done = true;
        return false;
      }
      current = new DEROctetString(block).getEncoded();
      position = 0;
      return true;
    }

    @Override
    public void close() throws IOException {
      source.close();
    }
  }
}
