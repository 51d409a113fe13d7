package org.opendsm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Content to sign or verify: a file, bytes in memory, or a re-openable stream.
 *
 * <p>A document is a <em>reference</em> to content, not a copy: files and streams are read when
 * needed, in one streaming pass, never loaded whole unless a format requires it (PDF and XML
 * parsers do; CAdES detached does not). The content must not change while the document is in use;
 * digests are computed once per algorithm and remembered.
 *
 * <pre>{@code
 * Document pdf = Document.of(Path.of("contract.pdf"));
 * Document xml = Document.of(bytes, "invoice.xml");
 * Document big = Document.ofStream(() -> storage.open(key), "scan.png", MediaType.PNG);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Document {
  /** Opens a fresh stream over the same content every time it is called. */
  @FunctionalInterface
  public interface StreamOpener {
    InputStream open() throws IOException;
  }

  private static final int BUFFER = 1 << 16;

  private final String name;
  private final MediaType mediaType;
  private final byte[] bytes;
  private final Path path;
  private final StreamOpener opener;
  private final Path owned;
  private final Map<DigestAlgorithm, byte[]> digests = new EnumMap<>(DigestAlgorithm.class);
  private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();
  /** Owned temporary files still alive; whatever the GC has not collected is deleted at exit. */
  private static final java.util.Set<Path> LIVE_TEMPORARY_FILES = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> LIVE_TEMPORARY_FILES.forEach(Deleter::delete), "dsm-temporary-files"));
  }

  private Document(String name, MediaType mediaType, byte[] bytes, Path path, StreamOpener opener) {
    this(name, mediaType, bytes, path, opener, null);
  }

  private Document(String name, MediaType mediaType, byte[] bytes, Path path, StreamOpener opener, Path owned) {
    this.name = requireName(name);
    this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
    this.bytes = bytes;
    this.path = path;
    this.opener = opener;
    this.owned = owned;
  }

  /** A file; name and media type come from the file name. */
  public static Document of(Path path) {
    Objects.requireNonNull(path, "path");
    String fileName = path.getFileName() == null ? path.toString() : path.getFileName().toString();
    return of(path, MediaType.fromFileName(fileName));
  }

  public static Document of(Path path, MediaType mediaType) {
    Objects.requireNonNull(path, "path");
    if (!Files.isRegularFile(path)) {
      throw new InvalidDocumentException("No such file: " + path);
    }
    String fileName = path.getFileName() == null ? path.toString() : path.getFileName().toString();
    return new Document(fileName, mediaType, null, path, null);
  }

  /** Bytes in memory (copied). */
  public static Document of(byte[] content, String name) {
    return of(content, name, MediaType.fromFileName(name));
  }

  public static Document of(byte[] content, String name, MediaType mediaType) {
    Objects.requireNonNull(content, "content");
    return new Document(name, mediaType, content.clone(), null, null);
  }

  /**
   * Takes ownership of a temporary file: the file is deleted once this document (and every
   * document derived from it with {@link #withName}) is no longer reachable. Large signed outputs
   * live here instead of in the heap. The path is not exposed.
   */
  public static Document ofTemporaryFile(Path file, String name, MediaType mediaType) {
    Objects.requireNonNull(file, "file");
    Document d = new Document(name, mediaType, null, null, null, file);
    LIVE_TEMPORARY_FILES.add(file);
    CLEANER.register(d, new Deleter(file));
    return d;
  }

  /** Deletes an owned temporary file; holds no reference to the document. */
  private record Deleter(Path file) implements Runnable {
    @Override
    public void run() {
      delete(file);
      LIVE_TEMPORARY_FILES.remove(file);
    }

    static void delete(Path file) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // Best effort: the file is in the temporary directory.
      }
    }
  }

  /**
   * Content known only by its digests, read from {@code in} in a single pass — a stream that can be
   * read once and whose length is unknown (an upload, a pipe, a download): SHA-256 and each of
   * {@code algorithms} are computed as it goes, nothing is kept. That is enough for a detached
   * CAdES signature and for verifying one, which need only the content's digest; whatever needs
   * the content itself (PAdES, XAdES, an enveloping CMS) refuses the document, saying so. The
   * caller closes {@code in}.
   */
  public static Document digesting(InputStream in, String name, MediaType mediaType, DigestAlgorithm... algorithms) {
    Objects.requireNonNull(in, "in");
    java.util.Set<DigestAlgorithm> wanted = java.util.EnumSet.of(DigestAlgorithm.SHA256);
    wanted.addAll(java.util.List.of(algorithms));
    Map<DigestAlgorithm, MessageDigest> running = new EnumMap<>(DigestAlgorithm.class);
    wanted.forEach(a -> running.put(a, a.newMessageDigest()));
    byte[] buffer = new byte[BUFFER];
    try {
      for (int n; (n = in.read(buffer)) != -1; ) {
        for (MessageDigest md : running.values()) {
          md.update(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      throw new InvalidDocumentException("Cannot read " + name + ": " + e.getMessage(), e);
    }
    Map<DigestAlgorithm, byte[]> digests = new EnumMap<>(DigestAlgorithm.class);
    running.forEach((a, md) -> digests.put(a, md.digest()));
    return ofDigests(name, mediaType, digests);
  }

  /**
   * Content known only by its digests (computed elsewhere). See {@link #digesting} for what such
   * a document can be used for.
   */
  public static Document ofDigests(String name, MediaType mediaType, Map<DigestAlgorithm, byte[]> digests) {
    Objects.requireNonNull(digests, "digests");
    if (!digests.containsKey(DigestAlgorithm.SHA256)) {
      throw new IllegalArgumentException("A document known by its digests needs at least its SHA-256"
          + " (a prepared signature names its document by it)");
    }
    Document d = new Document(name, mediaType, null, null, null);
    digests.forEach((a, v) -> {
      if (v.length != a.length()) {
        throw new IllegalArgumentException("A " + a + " digest has " + a.length() + " bytes, not " + v.length);
      }
      d.digests.put(a, v.clone());
    });
    return d;
  }

  /** Whether the content can be read; false for a document known only by its digests. */
  public boolean hasContent() {
    return bytes != null || path != null || owned != null || opener != null;
  }

  /** The algorithms of the digests known without reading: all that exist for a digest-only document. */
  public java.util.Set<DigestAlgorithm> knownDigests() {
    synchronized (digests) {
      return java.util.Set.copyOf(digests.keySet());
    }
  }

  /** Content behind a re-openable stream, e.g. object storage; read in one pass each time. */
  public static Document ofStream(StreamOpener opener, String name, MediaType mediaType) {
    Objects.requireNonNull(opener, "opener");
    return new Document(name, mediaType, null, null, opener);
  }

  public String name() {
    return name;
  }

  public MediaType mediaType() {
    return mediaType;
  }

  /** The file behind this document, if it is one. */
  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  /** The size in bytes when known without reading (bytes or file). */
  public OptionalLong size() {
    if (bytes != null) {
      return OptionalLong.of(bytes.length);
    }
    if (path != null || owned != null) {
      try {
        return OptionalLong.of(Files.size(path != null ? path : owned));
      } catch (IOException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }

  /** A new stream over the content; the caller closes it. */
  public InputStream openStream() {
    if (!hasContent()) {
      throw new InvalidDocumentException(name + " is known only by its digests (" + knownDigests()
          + "): this needs the content itself");
    }
    try {
      if (bytes != null) {
        return new ByteArrayInputStream(bytes);
      }
      if (path != null) {
        return Files.newInputStream(path);
      }
      if (owned != null) {
        return Files.newInputStream(owned);
      }
      return Objects.requireNonNull(opener.open(), "StreamOpener returned null");
    } catch (IOException e) {
      throw new InvalidDocumentException("Cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /** The whole content in memory; avoid for large files. */
  public byte[] readAllBytes() {
    if (bytes != null) {
      return bytes.clone();
    }
    try (InputStream in = openStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new InvalidDocumentException("Cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /** The digest of the content, computed once per algorithm in one streaming pass. */
  public byte[] digest(DigestAlgorithm algorithm) {
    Objects.requireNonNull(algorithm, "algorithm");
    synchronized (digests) {
      byte[] cached = digests.get(algorithm);
      if (cached != null) {
        return cached.clone();
      }
    }
    byte[] computed = computeDigest(algorithm);
    synchronized (digests) {
      digests.putIfAbsent(algorithm, computed);
    }
    return computed.clone();
  }

  private byte[] computeDigest(DigestAlgorithm algorithm) {
    if (!hasContent()) {
      throw new InvalidDocumentException(name + " is known only by its digests (" + knownDigests() + "), not by "
          + algorithm);
    }
    MessageDigest md = algorithm.newMessageDigest();
    if (bytes != null) {
      return md.digest(bytes);
    }
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = openStream()) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        md.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new InvalidDocumentException("Cannot read " + name + ": " + e.getMessage(), e);
    }
    return md.digest();
  }

  /** Writes the content to {@code target}, replacing it atomically where the file system allows. */
  public void writeTo(Path target) {
    Objects.requireNonNull(target, "target");
    Path dir = target.toAbsolutePath().getParent();
    try {
      Path tmp = Files.createTempFile(dir, ".dsm-", ".part");
      try {
        try (InputStream in = openStream()) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + target, e);
    }
  }

  public void writeTo(OutputStream out) {
    try (InputStream in = openStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + name, e);
    }
  }

  /** The same content under another name or media type. */
  public Document withName(String newName, MediaType newType) {
    if (owned != null) {
      // The derived document keeps this one (and so the file) alive.
      Document self = this;
      return new Document(newName, newType, null, null, self::openStream);
    }
    Document renamed = new Document(newName, newType, bytes, path, opener);
    synchronized (digests) {
      renamed.digests.putAll(digests); // a digest-only document keeps what it is known by
    }
    return renamed;
  }

  private static String requireName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    return name;
  }

  @Override
  public String toString() {
    return "Document[" + name + ", " + mediaType + "]";
  }
}
