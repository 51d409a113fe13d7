/**
 * The {@code dsm} command line ({@link org.opendsm.cli.DsmCommand}): {@code sign}, {@code verify}
 * and {@code demo}. Run it through the {@code ./dsm} launcher at the repository root.
 */
package org.opendsm.cli;
