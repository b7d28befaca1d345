package dev.locker.core.config;

import dev.locker.core.config.LockerConfig.CompartmentSpec;
import dev.locker.core.domain.CompartmentId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a compartment is, in words a person at the locker understands: "bottom row, second from
 * left". Rows count per column (columns of big compartments have fewer rows); columns count across
 * the cabinet. English for now; the kiosk translates the same parts.
 */
public final class CabinetLayout {
  private static final String[] ORDINALS = {
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"
  };

  private final Map<CompartmentId, CompartmentSpec> byId = new TreeMap<>();
  private final Map<Integer, Integer> rowsInColumn = new TreeMap<>();
  private final int columns;

  public CabinetLayout(List<CompartmentSpec> compartments) {
    int maxColumn = 0;
    for (CompartmentSpec c : compartments) {
      byId.put(c.id(), c);
      rowsInColumn.merge(c.position().column(), c.position().row(), Math::max);
      maxColumn = Math.max(maxColumn, c.position().column());
    }
    this.columns = maxColumn;
  }

  /** "bottom row, second from left", or empty for an unknown compartment. */
  public Optional<String> describe(CompartmentId id) {
    CompartmentSpec c = byId.get(id);
    if (c == null) {
      return Optional.empty();
    }
    int row = c.position().row();
    int rows = rowsInColumn.get(c.position().column());
    String rowWords;
    if (rows == 1) {
      rowWords = "only row";
    } else if (row == 1) {
      rowWords = "bottom row";
    } else if (row == rows) {
      rowWords = "top row";
    } else {
      rowWords = ordinal(row) + " row from the bottom";
    }
    int column = c.position().column();
    if (columns == 1) {
      return Optional.of(rowWords);
    }
    String columnWords;
    if (column == 1) {
      columnWords = "leftmost";
    } else if (column == columns) {
      columnWords = "rightmost";
    } else if (column - 1 <= columns - column) {
      columnWords = ordinal(column) + " from left";
    } else {
      columnWords = ordinal(columns - column + 1) + " from right";
    }
    return Optional.of(rowWords + ", " + columnWords);
  }

  private static String ordinal(int n) {
    return n >= 1 && n <= ORDINALS.length ? ORDINALS[n - 1] : n + "th";
  }
}
