package org.opendsm.server.internal.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells the pool to drop a connection whenever its database went away or could not write (see
 * {@link Database#unavailable}), not only for the connection errors it knows itself. For the
 * embedded database this matters most: H2 closes itself when its disk is full, and reopens its
 * file only once no connection holds on to the closed one, so the node recovers when space
 * returns without being restarted.
 */
public final class EvictBrokenConnections implements SQLExceptionOverride {
  @java.lang.Override
  public Override adjudicate(SQLException e) {
    return Database.unavailable(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
  }
}
