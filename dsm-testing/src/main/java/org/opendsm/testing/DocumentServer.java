package org.opendsm.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Serves one document over HTTP on loopback (port 0): a signature policy document where a
 * signature's policy URL points, say. Its content can be swapped to see what a verifier makes of
 * a document that no longer matches.
 */
public final class DocumentServer implements AutoCloseable {
  private final HttpServer server;
  private volatile byte[] content;

  private DocumentServer(byte[] content) throws IOException {
    this.content = content.clone();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = this.content;
      exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  public static DocumentServer serving(byte[] content) {
    try {
      return new DocumentServer(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document's URL, {@code http://127.0.0.1:PORT/name}. */
  public URI uri(String name) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
  }

  /** Serves {@code other} from now on. */
  public void replace(byte[] other) {
    this.content = other.clone();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
