package org.opendsm.server.internal.store;

import org.jdbi.v3.core.Handle;

/** Unique, increasing numbers (certificate and TSA serials) shared by every node. */
public final class Sequences {
  private Sequences() {}

  /** The next value of {@code name}, inside the caller's transaction (row lock). */
  public static long next(Handle h, String name) {
    long current = h.createQuery("SELECT next_value FROM sequences WHERE name = :n FOR UPDATE")
        .bind("n", name).mapTo(Long.class).findOne()
        .orElseThrow(() -> new IllegalStateException("No sequence '" + name + "': the migrations seed it"));
    h.createUpdate("UPDATE sequences SET next_value = :v WHERE name = :n").bind("v", current + 1)
        .bind("n", name).execute();
    return current;
  }

  /**
   * Reserves {@code count} consecutive values in one step and returns the first: a node hands
   * them out from memory (unique across nodes, in order per node, with gaps after a restart).
   */
  public static long reserve(Handle h, String name, int count) {
    long current = h.createQuery("SELECT next_value FROM sequences WHERE name = :n FOR UPDATE")
        .bind("n", name).mapTo(Long.class).findOne()
        .orElseThrow(() -> new IllegalStateException("No sequence '" + name + "': the migrations seed it"));
    h.createUpdate("UPDATE sequences SET next_value = :v WHERE name = :n").bind("v", current + count)
        .bind("n", name).execute();
    return current;
  }
}
