package dev.locker.hal.zvt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ECR's authorization state machine of {@link AuthorizationState}, without any I/O: the driver
 * feeds it events and carries out the actions it returns. One method per state holds that state's
 * transitions. An event that makes no sense in a state (a goods decision while none was asked,
 * anything after DONE) is refused with {@link IllegalStateException}: it is a driver bug.
 *
 * <p>Thread-safety: one thread feeds it; {@link #state()} may be read from any thread.
 */
final class AuthorizationMachine {
  static final Apdu ACK = Apdu.of(0x80, 0x00);
  static final Apdu PLEASE_WAIT = Apdu.of(0x84, ZvtCodes.PLEASE_WAIT);
  static final Apdu GOODS_FAILED = Apdu.of(0x84, 0x66);
  static final Apdu NOT_POSSIBLE = Apdu.of(0x84, ZvtCodes.FUNCTION_NOT_POSSIBLE);

  /** What happened. */
  sealed interface Event {
    record Received(Apdu apdu) implements Event {}

    record GoodsDecided(GoodsDecision decision) implements Event {}

    /** The goods decision is still open after the hold time; patience is left. */
    record GoodsPending() implements Event {}

    record AbortRequested() implements Event {}

    /** T3 in AWAIT_COMMAND_ACK, T4 in every other state. */
    record TimedOut() implements Event {}

    record LinkLost(String detail) implements Event {}
  }

  /** What the driver must do, in order. */
  sealed interface Action {
    record Reply(Apdu apdu) implements Action {}

    record SendAbort() implements Action {}

    /** The first approval: ask the listener for the goods decision, then hold it. */
    record AskGoods(StatusInformation info) implements Action {}

    /** The terminal repeated the status information: hold the pending decision again. */
    record AwaitGoods() implements Action {}

    record Intermediate(int code, String text) implements Action {}

    record Receipt(List<String> lines) implements Action {}

    record Finish(AuthorizationResult result) implements Action {}
  }

  private volatile AuthorizationState state = AuthorizationState.AWAIT_COMMAND_ACK;
  private boolean abortWanted;
  private StatusInformation approved;
  private StatusInformation lastInfo;

  /** T4 ran out once already and the abort it caused was refused: a second time ends it. */
  private boolean abortedOnSilence;

  private int declineCode;
  private final List<String> receipt = new ArrayList<>();

  AuthorizationState state() {
    return state;
  }

  List<Action> on(Event event) {
    List<Action> out = new ArrayList<>();
    switch (state) {
      case AWAIT_COMMAND_ACK -> awaitCommandAck(event, out);
      case PT_MASTER, ABORTING -> ptMaster(event, out);
      case DECIDING -> deciding(event, out);
      case GOODS_ISSUED -> goodsIssued(event, out);
      case GOODS_REFUSED -> goodsRefused(event, out);
      case DECLINED -> declined(event, out);
      case DONE -> throw refused(event);
      default -> throw new IllegalStateException(state.name());
    }
    return out;
  }

  private void awaitCommandAck(Event event, List<Action> out) {
    if (event instanceof Event.Received r) {
      Apdu a = r.apdu();
      if (isPositive(a)) {
        state = AuthorizationState.PT_MASTER;
        if (abortWanted) {
          state = AuthorizationState.ABORTING;
          out.add(new Action.SendAbort());
        }
      } else if (a.is(0x84, ZvtCodes.PLEASE_WAIT)) {
        return;
      } else if (a.cls() == 0x84) {
        finish(out, new AuthorizationResult.Declined(a.instr(), ZvtCodes.resultText(a.instr())));
      } else {
        state = AuthorizationState.PT_MASTER; // the terminal took over without 80 00 00
        ptMaster(event, out);
      }
    } else if (event instanceof Event.AbortRequested) {
      abortWanted = true;
    } else if (event instanceof Event.TimedOut) {
      finish(
          out,
          new AuthorizationResult.NoTerminal("the terminal did not accept the command within T3"));
    } else if (event instanceof Event.LinkLost l) {
      finish(out, unknown("link lost after the command was sent: " + l.detail()));
    } else {
      throw refused(event);
    }
  }

  private void ptMaster(Event event, List<Action> out) {
    if (event instanceof Event.Received r) {
      Apdu a = r.apdu();
      if (isAnswer(a)) {
        if (state == AuthorizationState.ABORTING && !isPositive(a)) {
          state = AuthorizationState.PT_MASTER; // the terminal refused the abort
        }
        return;
      }
      if (commonMessage(a, out)) {
        return;
      }
      if (a.is(0x04, 0x0F)) {
        StatusInformation.Decoding d = StatusInformation.decode(a);
        if (d instanceof StatusInformation.Decoding.Decoded ok) {
          lastInfo = ok.info();
          if (ok.info().approved()) {
            approved = ok.info();
            state = AuthorizationState.DECIDING;
            out.add(new Action.AskGoods(ok.info()));
          } else {
            declineCode = ok.info().resultCode();
            state = AuthorizationState.DECLINED;
            out.add(new Action.Reply(ACK));
          }
        } else {
          state = AuthorizationState.GOODS_REFUSED; // unreadable: never issue goods on it
          out.add(new Action.Reply(GOODS_FAILED));
        }
      } else if (a.is(0x06, 0x1E)) {
        out.add(new Action.Reply(ACK));
        int rc = resultCode(a);
        finish(
            out,
            state == AuthorizationState.ABORTING || rc == ZvtCodes.ABORTED
                ? new AuthorizationResult.Aborted(rc, ZvtCodes.resultText(rc))
                : new AuthorizationResult.Declined(rc, ZvtCodes.resultText(rc)));
      } else if (a.is(0x06, 0x0F)) {
        out.add(new Action.Reply(ACK));
        finish(out, unknown("the terminal completed without a status information"));
      } else {
        out.add(new Action.Reply(NOT_POSSIBLE));
      }
    } else if (event instanceof Event.AbortRequested) {
      if (state == AuthorizationState.PT_MASTER) {
        state = AuthorizationState.ABORTING;
        out.add(new Action.SendAbort());
      }
    } else if (event instanceof Event.TimedOut) {
      if (state == AuthorizationState.PT_MASTER && abortedOnSilence) {
        // A terminal that refused the abort and then stayed silent for another T4 will not end
        // this by itself: asking again would go on forever.
        finish(out, unknown("the terminal refused the abort and stayed silent for another T4"));
      } else if (state == AuthorizationState.PT_MASTER) {
        // §4.4: T4 spent, so the ECR asks the terminal to stop (06 B0) and waits T3 for it.
        abortedOnSilence = true;
        state = AuthorizationState.ABORTING;
        out.add(new Action.SendAbort());
      } else {
        finish(out, unknown("no message from the terminal within T4, nor an answer to the abort"));
      }
    } else if (event instanceof Event.LinkLost l) {
      finish(out, unknown("link lost while the terminal was master: " + l.detail()));
    } else {
      throw refused(event);
    }
  }

  private void deciding(Event event, List<Action> out) {
    if (event instanceof Event.GoodsDecided d) {
      if (d.decision() == GoodsDecision.ISSUED) {
        state = AuthorizationState.GOODS_ISSUED;
        out.add(new Action.Reply(ACK));
      } else {
        state = AuthorizationState.GOODS_REFUSED;
        out.add(new Action.Reply(GOODS_FAILED));
      }
    } else if (event instanceof Event.GoodsPending) {
      out.add(new Action.Reply(PLEASE_WAIT));
    } else if (event instanceof Event.Received r) {
      Apdu a = r.apdu();
      if (a.is(0x04, 0x0F)) {
        out.add(new Action.AwaitGoods());
      } else if (a.is(0x06, 0x1E)) {
        out.add(new Action.Reply(ACK));
        int rc = resultCode(a);
        finish(out, new AuthorizationResult.Reversed(approved, rc, ZvtCodes.resultText(rc)));
      } else if (!commonMessage(a, out)) {
        out.add(new Action.Reply(NOT_POSSIBLE));
      }
    } else if (event instanceof Event.AbortRequested) {
      return; // too late: the payment is approved, only the goods decision can undo it
    } else if (event instanceof Event.TimedOut) {
      finish(out, unknown("approved, but the terminal went silent while the goods were decided"));
    } else if (event instanceof Event.LinkLost l) {
      finish(out, unknown("approved, link lost while the goods were decided: " + l.detail()));
    } else {
      throw refused(event);
    }
  }

  private void goodsIssued(Event event, List<Action> out) {
    if (event instanceof Event.Received r) {
      Apdu a = r.apdu();
      if (commonMessage(a, out)) {
        return;
      }
      out.add(new Action.Reply(a.is(0x04, 0x0F) || isCompletion(a) ? ACK : NOT_POSSIBLE));
      if (a.is(0x06, 0x0F)) {
        finish(out, new AuthorizationResult.Approved(approved, receipt));
      } else if (a.is(0x06, 0x1E)) {
        finish(
            out,
            unknown(
                "the terminal aborted ("
                    + ZvtCodes.resultText(resultCode(a))
                    + ") after the goods were issued"));
      }
    } else if (event instanceof Event.AbortRequested) {
      return;
    } else if (event instanceof Event.TimedOut) {
      finish(out, unknown("goods issued, but no completion from the terminal within T4"));
    } else if (event instanceof Event.LinkLost l) {
      finish(out, unknown("goods issued, link lost before the completion: " + l.detail()));
    } else {
      throw refused(event);
    }
  }

  private void goodsRefused(Event event, List<Action> out) {
    if (event instanceof Event.Received r) {
      Apdu a = r.apdu();
      if (commonMessage(a, out)) {
        return;
      }
      out.add(new Action.Reply(a.is(0x04, 0x0F) || isCompletion(a) ? ACK : NOT_POSSIBLE));
      if (a.is(0x06, 0x1E)) {
        int rc = resultCode(a);
        finish(
            out,
            approved != null
                ? new AuthorizationResult.Reversed(approved, rc, ZvtCodes.resultText(rc))
                : new AuthorizationResult.Declined(
                    rc, "unreadable status information; " + ZvtCodes.resultText(rc)));
      } else if (a.is(0x06, 0x0F)) {
        finish(out, unknown("goods refused, but the terminal completed the payment"));
      }
    } else if (event instanceof Event.AbortRequested) {
      return;
    } else if (event instanceof Event.TimedOut) {
      finish(out, unknown("goods refused; the terminal did not confirm the reversal within T4"));
    } else if (event instanceof Event.LinkLost l) {
      finish(out, unknown("goods refused; link lost before the reversal: " + l.detail()));
    } else {
      throw refused(event);
    }
  }

  private void declined(Event event, List<Action> out) {
    if (event instanceof Event.Received r) {
      Apdu a = r.apdu();
      if (commonMessage(a, out)) {
        return;
      }
      out.add(new Action.Reply(a.is(0x04, 0x0F) || isCompletion(a) ? ACK : NOT_POSSIBLE));
      if (a.is(0x06, 0x1E)) {
        finish(out, decline(resultCode(a)));
      } else if (a.is(0x06, 0x0F)) {
        finish(out, decline(declineCode));
      }
    } else if (event instanceof Event.AbortRequested) {
      return;
    } else if (event instanceof Event.TimedOut || event instanceof Event.LinkLost) {
      finish(out, decline(declineCode)); // the terminal already said no: nothing was paid
    } else {
      throw refused(event);
    }
  }

  /**
   * 04 FF and print commands, the same in every state, and answers to an abort the terminal
   * overtook (never answered themselves): true when {@code a} was one of them.
   */
  private boolean commonMessage(Apdu a, List<Action> out) {
    if (isAnswer(a)) {
      return true;
    }
    if (a.is(0x04, 0xFF)) {
      out.add(new Action.Reply(ACK));
      byte[] data = a.data();
      if (data.length > 0) {
        int code = data[0] & 0xFF;
        out.add(new Action.Intermediate(code, ZvtCodes.intermediateText(code)));
      }
      return true;
    }
    if (a.is(0x06, 0xD1) || a.is(0x06, 0xD3)) {
      out.add(new Action.Reply(ACK));
      Optional<List<String>> lines = ReceiptText.lines(a);
      if (lines.isPresent() && !lines.get().isEmpty()) {
        receipt.addAll(lines.get());
        out.add(new Action.Receipt(lines.get()));
      }
      return true;
    }
    return false;
  }

  private void finish(List<Action> out, AuthorizationResult result) {
    state = AuthorizationState.DONE;
    out.add(new Action.Finish(result));
  }

  private AuthorizationResult.OutcomeUnknown unknown(String detail) {
    return new AuthorizationResult.OutcomeUnknown(detail, Optional.ofNullable(lastInfo));
  }

  private static AuthorizationResult decline(int rc) {
    return rc == ZvtCodes.ABORTED
        ? new AuthorizationResult.Aborted(rc, ZvtCodes.resultText(rc))
        : new AuthorizationResult.Declined(rc, ZvtCodes.resultText(rc));
  }

  /** An APDU answer ({@code 80 xx}, {@code 84 xx}): the ECR never answers an answer. */
  static boolean isAnswer(Apdu a) {
    return a.cls() == 0x80 || a.cls() == 0x84;
  }

  static boolean isPositive(Apdu a) {
    return a.is(0x80, 0x00) || a.is(0x84, 0x00);
  }

  private static boolean isCompletion(Apdu a) {
    return a.is(0x06, 0x0F) || a.is(0x06, 0x1E);
  }

  /** The result code of a {@code 06 1E}; one without data is a system error. */
  static int resultCode(Apdu a) {
    byte[] data = a.data();
    return data.length > 0 ? data[0] & 0xFF : ZvtCodes.SYSTEM_ERROR;
  }

  private IllegalStateException refused(Event event) {
    return new IllegalStateException(
        "event " + event.getClass().getSimpleName() + " makes no sense in state " + state);
  }
}
