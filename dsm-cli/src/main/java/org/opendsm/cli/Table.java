package org.opendsm.cli;

import java.io.PrintWriter;
import java.util.List;

/** A plain-text table with aligned columns. */
final class Table {
  private Table() {}

  static void print(PrintWriter out, String[] header, List<String[]> rows) {
    int[] widths = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      widths[i] = header[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    line(out, header, widths);
    String[] rule = new String[header.length];
    for (int i = 0; i < header.length; i++) {
      rule[i] = "-".repeat(widths[i]);
    }
    line(out, rule, widths);
    rows.forEach(r -> line(out, r, widths));
  }

  private static void line(PrintWriter out, String[] cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      sb.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", cells[i]));
    }
    out.println(sb.toString().stripTrailing());
  }
}
