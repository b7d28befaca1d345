package dev.locker.ui.boot;

import dev.locker.core.store.AuditChain;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code verify-audit FILE}: checks a database file's audit chain offline and says whether it is
 * intact or names the first altered, missing or reordered entry. Exit code 0 intact, 1 broken, 2
 * unreadable.
 */
public final class AuditCheck {
  private AuditCheck() {}

  public static int run(Path file, PrintStream out, PrintStream err) {
    AuditChain.Verdict verdict = AuditChain.verifyFile(file);
    if (verdict instanceof AuditChain.Verdict.Intact intact) {
      out.println("audit log intact: " + intact.entries() + " entries in " + file);
      return 0;
    }
    if (verdict instanceof AuditChain.Verdict.Broken broken) {
      out.println("audit log BROKEN at entry " + broken.entry() + ": " + broken.problem());
      return 1;
    }
    err.println(((AuditChain.Verdict.Unreadable) verdict).problem());
    return 2;
  }
}
