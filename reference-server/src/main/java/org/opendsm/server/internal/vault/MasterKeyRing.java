package org.opendsm.server.internal.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.opendsm.Secret;
import org.opendsm.server.internal.crypto.Aead;

/**
 * Every generation of the master key a node holds, and the one it seals new values with.
 *
 * <p>The generations live in one PKCS#12 file (default {@code master-key.p12} in the data
 * directory), protected by a passphrase from the environment and created with generation 1 on
 * first start. A rotation adds a generation to the file ({@link #addGeneration}), the operator
 * copies the file to every node, the cluster switches to it, values are re-wrapped, and the old
 * generation is taken out ({@link #removeGeneration}). Which generation seals new values is the
 * cluster's decision, recorded in the database; the ring only holds the keys.
 *
 * <p>Thread-safe: readers see one immutable snapshot of the generations.
 */
public final class MasterKeyRing {
  /** The alias of generation 1, as files written before rotation existed name it. */
  private static final String FIRST_ALIAS = "opendsm-master-key";

  private final Path file;
  private final Secret passphrase;
  private volatile NavigableMap<Integer, MasterKey> keys;
  private volatile int current;
  private volatile byte[] loaded;

  private MasterKeyRing(Path file, Secret passphrase, NavigableMap<Integer, MasterKey> keys, byte[] loaded) {
    this.file = file;
    this.passphrase = passphrase;
    this.keys = Collections.unmodifiableNavigableMap(keys);
    this.current = keys.lastKey();
    this.loaded = loaded;
  }

  /** Thrown when a value was sealed by a generation this node's file does not hold. */
  public static final class MissingGeneration extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final int generation;

    MissingGeneration(int generation) {
      super("This node does not hold generation " + generation + " of the master key: copy master-key.p12 from"
          + " the node where it was added");
      this.generation = generation;
    }

    public int generation() {
      return generation;
    }
  }

  /**
   * What the master key alone seals, each under its own derived key. The labels are those of
   * generation 1 before rotation existed, so values written then open unchanged.
   */
  public enum Purpose {
    TOTP_SEED("opendsm/totp-seed/v1"),
    CA_KEY("opendsm/ca-keys/v1"),
    SERVER_SECRET("opendsm/server-secret/v1");

    private final String label;

    Purpose(String label) {
      this.label = label;
    }
  }

  /** A value sealed by the master key alone, with the generation that sealed it. */
  public record Sealed(byte[] bytes, int generation) {
    @Override
    public String toString() {
      return "Sealed[generation " + generation + "]";
    }
  }

  /** Seals {@code plain} for {@code purpose} under the current generation; {@code context} binds it to its row. */
  public Sealed seal(Purpose purpose, byte[] plain, String context) {
    return seal(purpose, plain, context, current().generation());
  }

  /** As {@link #seal(Purpose, byte[], String)}, under {@code generation}. */
  public Sealed seal(Purpose purpose, byte[] plain, String context, int generation) {
    MasterKey by = generation(generation);
    byte[] key = by.derive(purpose.label);
    try {
      return new Sealed(Aead.seal(key, plain, context), by.generation());
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Opens what {@link #seal} sealed under {@code generation}. */
  public byte[] open(Purpose purpose, byte[] sealed, int generation, String context) throws Aead.DecryptionFailed {
    byte[] key = generation(generation).derive(purpose.label);
    try {
      return Aead.open(key, sealed, context);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** For tests: one random generation held only in memory. */
  public static MasterKeyRing random() {
    TreeMap<Integer, MasterKey> keys = new TreeMap<>();
    keys.put(1, MasterKey.random(1));
    return new MasterKeyRing(null, null, keys, null);
  }

  /** Loads the ring from {@code file}, or creates the file with generation 1 if it does not exist. */
  public static MasterKeyRing loadOrCreate(Path file, Secret passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    try {
      if (!Files.exists(file)) {
        TreeMap<Integer, MasterKey> first = new TreeMap<>();
        first.put(1, MasterKey.random(1));
        write(file, passphrase, first);
      }
      return new MasterKeyRing(file, passphrase, read(file, passphrase), fingerprint(file));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot open the master key " + file
          + ": wrong passphrase (DSM_MASTER_PASSPHRASE) or damaged file", e);
    }
  }

  /**
   * The generation that seals new values.
   *
   * @throws MissingGeneration if the cluster seals with a generation this node does not hold
   */
  public MasterKey current() {
    return generation(current);
  }

  /** Generation {@code generation}, to open what it sealed. */
  public MasterKey generation(int generation) {
    MasterKey k = keys.get(generation);
    if (k == null) {
      throw new MissingGeneration(generation);
    }
    return k;
  }

  /** The generations this node holds, oldest first. */
  public NavigableSet<Integer> generations() {
    return keys.navigableKeySet();
  }

  /**
   * Seals new values with {@code generation} from now on (the cluster's choice). If this node
   * does not hold it, sealing fails with {@link MissingGeneration} until the file has it.
   */
  public void use(int generation) {
    this.current = generation;
  }

  /**
   * Adds a new random key as {@code generation} and writes the file (atomically, owner-only).
   * The new generation seals nothing until {@link #use} is called.
   */
  public synchronized MasterKey addGeneration(int generation) {
    if (keys.containsKey(generation)) {
      throw new IllegalArgumentException("Generation " + generation + " of the master key exists already");
    }
    TreeMap<Integer, MasterKey> next = new TreeMap<>(keys);
    MasterKey added = MasterKey.random(generation);
    next.put(generation, added);
    save(next);
    return added;
  }

  /** Removes {@code generation} from the file: what it sealed can no longer be opened here. */
  public synchronized void removeGeneration(int generation) {
    if (generation == current) {
      throw new IllegalArgumentException("Generation " + generation + " seals new values: it cannot be removed");
    }
    if (!keys.containsKey(generation)) {
      return;
    }
    TreeMap<Integer, MasterKey> next = new TreeMap<>(keys);
    next.remove(generation);
    save(next);
  }

  /**
   * Reads the file again if its content changed since it was read (an operator copied a new one in).
   * Returns whether the set of generations changed. A file that does not open is reported and
   * the ring keeps what it holds.
   */
  public synchronized boolean reloadIfChanged() {
    return reloadIfChanged(candidate -> { });
  }

  /**
   * As {@link #reloadIfChanged()}, the new generations first shown to {@code check}, which throws
   * to refuse them (another installation's key under a known number, say); a refused file is not
   * taken and is read and refused again at the next call.
   */
  public synchronized boolean reloadIfChanged(java.util.function.Consumer<Map<Integer, MasterKey>> check) {
    if (file == null) {
      return false;
    }
    try {
      byte[] modified = fingerprint(file);
      if (Arrays.equals(modified, loaded)) {
        return false;
      }
      NavigableMap<Integer, MasterKey> read = read(file, passphrase);
      if (!read.containsKey(current)) {
        throw new IllegalStateException("The new " + file + " lacks generation " + current
            + ", which seals new values; the file was not taken");
      }
      boolean changed = !read.keySet().equals(keys.keySet());
      for (Map.Entry<Integer, MasterKey> e : read.entrySet()) {
        MasterKey held = keys.get(e.getKey());
        if (held != null && !Arrays.equals(held.checkValue(), e.getValue().checkValue())) {
          throw new IllegalStateException("The new " + file + " holds another key under generation " + e.getKey()
              + "; the file was not taken");
        }
      }
      check.accept(Collections.unmodifiableMap(read));
      keys = Collections.unmodifiableNavigableMap(read);
      loaded = modified;
      return changed;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot read the master key file " + file + " again", e);
    }
  }

  private void save(TreeMap<Integer, MasterKey> next) {
    if (file != null) {
      try {
        write(file, passphrase, next);
        loaded = fingerprint(file);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("Cannot write the master key file " + file, e);
      }
    }
    keys = Collections.unmodifiableNavigableMap(next);
  }

  /** The file's SHA-256: a copy counts as a change whatever its modification time says. */
  private static byte[] fingerprint(Path file) throws IOException {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static NavigableMap<Integer, MasterKey> read(Path file, Secret passphrase)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    char[] pw = passphrase.chars();
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, pw);
      TreeMap<Integer, MasterKey> keys = new TreeMap<>();
      for (String alias : Collections.list(ks.aliases())) {
        int generation = generationOf(alias);
        if (generation > 0 && ks.getKey(alias, pw) instanceof SecretKey k) {
          keys.put(generation, new MasterKey(generation, k.getEncoded()));
        }
      }
      if (keys.isEmpty()) {
        throw new GeneralSecurityException("no master key entry");
      }
      return keys;
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  private static void write(Path file, Secret passphrase, NavigableMap<Integer, MasterKey> keys)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] pw = passphrase.chars();
    try {
      for (MasterKey k : keys.values()) {
        byte[] encoded = k.encoded();
        try {
          ks.setEntry(aliasOf(k.generation()), new KeyStore.SecretKeyEntry(new SecretKeySpec(encoded, "AES")),
              new KeyStore.PasswordProtection(pw));
        } finally {
          Arrays.fill(encoded, (byte) 0);
        }
      }
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".master", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          ks.store(out, pw);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  private static String aliasOf(int generation) {
    return generation == 1 ? FIRST_ALIAS : FIRST_ALIAS + "-" + generation;
  }

  /** The generation an alias names, or 0 for an entry that is not a master key. */
  private static int generationOf(String alias) {
    String a = alias.toLowerCase(java.util.Locale.ROOT);
    if (a.equals(FIRST_ALIAS)) {
      return 1;
    }
    if (a.startsWith(FIRST_ALIAS + "-")) {
      try {
        return Integer.parseInt(a.substring(FIRST_ALIAS.length() + 1));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  @Override
  public String toString() {
    return "MasterKeyRing[generations " + keys.keySet() + ", sealing with " + current + "]";
  }
}
