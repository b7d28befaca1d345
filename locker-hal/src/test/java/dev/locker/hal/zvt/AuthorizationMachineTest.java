package dev.locker.hal.zvt;

import static dev.locker.hal.zvt.AuthorizationState.ABORTING;
import static dev.locker.hal.zvt.AuthorizationState.AWAIT_COMMAND_ACK;
import static dev.locker.hal.zvt.AuthorizationState.DECIDING;
import static dev.locker.hal.zvt.AuthorizationState.DECLINED;
import static dev.locker.hal.zvt.AuthorizationState.DONE;
import static dev.locker.hal.zvt.AuthorizationState.GOODS_ISSUED;
import static dev.locker.hal.zvt.AuthorizationState.GOODS_REFUSED;
import static dev.locker.hal.zvt.AuthorizationState.PT_MASTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.locker.hal.zvt.AuthorizationMachine.Action;
import dev.locker.hal.zvt.AuthorizationMachine.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The authorization state machine of {@link AuthorizationState}, one test per edge, named {@code
 * From_Event_To}, plus the pairs it refuses (STYLE.md §2).
 */
class AuthorizationMachineTest {
  private static final Apdu OK = Apdu.of(0x80, 0x00);
  private static final Apdu APPROVED = StatusInformationTest.realExample();
  private static final Apdu DECLINED_05 = Apdu.of(0x04, 0x0F, 0x27, 0x05);
  private static final Apdu DECLINED_6C = Apdu.of(0x04, 0x0F, 0x27, 0x6C);
  private static final Apdu INSERT_CARD = Apdu.of(0x04, 0xFF, 0x0A);
  private static final Apdu AUTO_REVERSAL = Apdu.of(0x04, 0xFF, 0x05);
  private static final Apdu COMPLETION = Apdu.of(0x06, 0x0F);
  private static final Apdu RECEIPT = ReceiptText.textBlock(List.of("LOCKER 7", "20,40 EUR"));

  private static Action reply(Apdu a) {
    return new Action.Reply(a);
  }

  private static Event got(Apdu a) {
    return new Event.Received(a);
  }

  private static Apdu ptAbort(int rc) {
    return Apdu.of(0x06, 0x1E, rc);
  }

  private static StatusInformation approvedInfo() {
    return ((StatusInformation.Decoding.Decoded) StatusInformation.decode(APPROVED)).info();
  }

  private final AuthorizationMachine machine = new AuthorizationMachine();

  private AuthorizationMachine in(AuthorizationState target) {
    switch (target) {
      case AWAIT_COMMAND_ACK -> {}
      case PT_MASTER -> machine.on(got(OK));
      case ABORTING -> {
        in(PT_MASTER);
        machine.on(new Event.AbortRequested());
      }
      case DECIDING -> {
        in(PT_MASTER);
        machine.on(got(APPROVED));
      }
      case GOODS_ISSUED -> {
        in(DECIDING);
        machine.on(new Event.GoodsDecided(GoodsDecision.ISSUED));
      }
      case GOODS_REFUSED -> {
        in(DECIDING);
        machine.on(new Event.GoodsDecided(GoodsDecision.REFUSED));
      }
      case DECLINED -> {
        in(PT_MASTER);
        machine.on(got(DECLINED_05));
      }
      case DONE -> {
        in(PT_MASTER);
        machine.on(got(ptAbort(0x6C)));
      }
      default -> throw new IllegalArgumentException();
    }
    assertThat(machine.state()).isEqualTo(target);
    return machine;
  }

  private static Action finish(AuthorizationResult r) {
    return new Action.Finish(r);
  }

  // ---------------------------------------------------------------- AWAIT_COMMAND_ACK

  @Test
  void AwaitCommandAck_PositiveCompletion_PtMaster() {
    assertThat(in(AWAIT_COMMAND_ACK).on(got(OK))).isEmpty();
    assertThat(machine.state()).isEqualTo(PT_MASTER);
  }

  @Test
  void AwaitCommandAck_8400_PtMaster() {
    in(AWAIT_COMMAND_ACK).on(got(Apdu.of(0x84, 0x00)));
    assertThat(machine.state()).isEqualTo(PT_MASTER);
  }

  @Test
  void AwaitCommandAck_PleaseWait_AwaitCommandAck() {
    assertThat(in(AWAIT_COMMAND_ACK).on(got(Apdu.of(0x84, 0x9C)))).isEmpty();
    assertThat(machine.state()).isEqualTo(AWAIT_COMMAND_ACK);
  }

  @Test
  void AwaitCommandAck_FunctionNotPossible_DoneDeclined() {
    assertThat(in(AWAIT_COMMAND_ACK).on(got(Apdu.of(0x84, 0x83))))
        .containsExactly(finish(new AuthorizationResult.Declined(0x83, "function not possible")));
    assertThat(machine.state()).isEqualTo(DONE);
  }

  @Test
  void AwaitCommandAck_TimedOut_DoneNoTerminal() {
    assertThat(in(AWAIT_COMMAND_ACK).on(new Event.TimedOut()))
        .singleElement()
        .extracting(a -> ((Action.Finish) a).result())
        .isInstanceOf(AuthorizationResult.NoTerminal.class);
  }

  @Test
  void AwaitCommandAck_LinkLost_DoneOutcomeUnknown() {
    assertThat(in(AWAIT_COMMAND_ACK).on(new Event.LinkLost("cable")))
        .singleElement()
        .extracting(a -> ((Action.Finish) a).result())
        .isInstanceOf(AuthorizationResult.OutcomeUnknown.class);
  }

  @Test
  void AwaitCommandAck_AbortRequestedThenAccepted_Aborting() {
    assertThat(in(AWAIT_COMMAND_ACK).on(new Event.AbortRequested())).isEmpty();
    assertThat(machine.on(got(OK))).containsExactly(new Action.SendAbort());
    assertThat(machine.state()).isEqualTo(ABORTING);
  }

  @Test
  void AwaitCommandAck_IntermediateStatus_PtMaster() {
    assertThat(in(AWAIT_COMMAND_ACK).on(got(INSERT_CARD)))
        .containsExactly(reply(OK), new Action.Intermediate(0x0A, "insert card"));
    assertThat(machine.state()).isEqualTo(PT_MASTER);
  }

  // ---------------------------------------------------------------- PT_MASTER

  @Test
  void PtMaster_IntermediateStatus_PtMaster() {
    assertThat(in(PT_MASTER).on(got(INSERT_CARD)))
        .containsExactly(reply(OK), new Action.Intermediate(0x0A, "insert card"));
    assertThat(machine.state()).isEqualTo(PT_MASTER);
  }

  @Test
  void PtMaster_TextBlock_PtMaster() {
    assertThat(in(PT_MASTER).on(got(RECEIPT)))
        .containsExactly(reply(OK), new Action.Receipt(List.of("LOCKER 7", "20,40 EUR")));
    assertThat(machine.state()).isEqualTo(PT_MASTER);
  }

  @Test
  void PtMaster_ApprovedStatusInformation_Deciding() {
    assertThat(in(PT_MASTER).on(got(APPROVED)))
        .containsExactly(new Action.AskGoods(approvedInfo()));
    assertThat(machine.state()).isEqualTo(DECIDING);
  }

  @Test
  void PtMaster_DeclinedStatusInformation_Declined() {
    assertThat(in(PT_MASTER).on(got(DECLINED_05))).containsExactly(reply(OK));
    assertThat(machine.state()).isEqualTo(DECLINED);
  }

  @Test
  void PtMaster_UnreadableStatusInformation_GoodsRefused() {
    assertThat(in(PT_MASTER).on(got(Apdu.of(0x04, 0x0F, 0x27))))
        .containsExactly(reply(Apdu.of(0x84, 0x66)));
    assertThat(machine.state()).isEqualTo(GOODS_REFUSED);
  }

  @Test
  void PtMaster_PtAbort6C_DoneAborted() {
    assertThat(in(PT_MASTER).on(got(ptAbort(0x6C))))
        .containsExactly(
            reply(OK),
            finish(new AuthorizationResult.Aborted(0x6C, "abort via timeout or abort key")));
  }

  @Test
  void PtMaster_PtAbort05_DoneDeclined() {
    assertThat(in(PT_MASTER).on(got(ptAbort(0x05))))
        .containsExactly(
            reply(OK),
            finish(
                new AuthorizationResult.Declined(
                    0x05, "declined by the authorisation host (code 05)")));
  }

  @Test
  void PtMaster_CompletionWithoutStatusInformation_DoneOutcomeUnknown() {
    List<Action> actions = in(PT_MASTER).on(got(COMPLETION));
    assertThat(actions.get(0)).isEqualTo(reply(OK));
    assertThat(((Action.Finish) actions.get(1)).result())
        .isInstanceOf(AuthorizationResult.OutcomeUnknown.class);
  }

  @Test
  void PtMaster_UnknownApdu_PtMasterAnswersFunctionNotPossible() {
    assertThat(in(PT_MASTER).on(got(Apdu.of(0x06, 0x93))))
        .containsExactly(reply(Apdu.of(0x84, 0x83)));
    assertThat(machine.state()).isEqualTo(PT_MASTER);
  }

  @Test
  void PtMaster_AbortRequested_Aborting() {
    assertThat(in(PT_MASTER).on(new Event.AbortRequested()))
        .containsExactly(new Action.SendAbort());
    assertThat(machine.state()).isEqualTo(ABORTING);
  }

  @Test
  void PtMaster_TimedOut_Aborting() {
    assertThat(in(PT_MASTER).on(new Event.TimedOut())).containsExactly(new Action.SendAbort());
    assertThat(machine.state()).isEqualTo(ABORTING);
  }

  @Test
  void PtMaster_TimedOutAgainAfterARefusedAbort_DoneOutcomeUnknown() {
    in(PT_MASTER).on(new Event.TimedOut()); // the first T4: 06 B0
    machine.on(got(Apdu.of(0x84, 0x83))); // refused: the terminal is master again

    List<Action> second = machine.on(new Event.TimedOut());

    assertThat(second).singleElement().isInstanceOf(Action.Finish.class);
    assertThat(((Action.Finish) second.get(0)).result())
        .isInstanceOf(AuthorizationResult.OutcomeUnknown.class);
    assertThat(machine.state()).isEqualTo(DONE);
  }

  @Test
  void Aborting_TimedOut_DoneOutcomeUnknown() {
    assertThat(((Action.Finish) in(ABORTING).on(new Event.TimedOut()).get(0)).result())
        .isInstanceOf(AuthorizationResult.OutcomeUnknown.class);
    assertThat(machine.state()).isEqualTo(DONE);
  }

  @Test
  void PtMaster_LinkLost_DoneOutcomeUnknown() {
    assertThat(((Action.Finish) in(PT_MASTER).on(new Event.LinkLost("x")).get(0)).result())
        .isInstanceOf(AuthorizationResult.OutcomeUnknown.class);
  }

  // ---------------------------------------------------------------- ABORTING

  @Test
  void Aborting_PositiveCompletion_Aborting() {
    assertThat(in(ABORTING).on(got(OK))).isEmpty();
    assertThat(machine.state()).isEqualTo(ABORTING);
  }

  @Test
  void Aborting_NegativeCompletion_PtMaster() {
    assertThat(in(ABORTING).on(got(Apdu.of(0x84, 0x83)))).isEmpty();
    assertThat(machine.state()).isEqualTo(PT_MASTER);
  }

  @Test
  void Aborting_PtAbort_DoneAborted() {
    assertThat(in(ABORTING).on(got(ptAbort(0x6C))))
        .containsExactly(
            reply(OK),
            finish(new AuthorizationResult.Aborted(0x6C, "abort via timeout or abort key")));
  }

  @Test
  void Aborting_ApprovedStatusInformation_Deciding() {
    assertThat(in(ABORTING).on(got(APPROVED))).containsExactly(new Action.AskGoods(approvedInfo()));
    assertThat(machine.state()).isEqualTo(DECIDING);
  }

  // ---------------------------------------------------------------- DECIDING

  @Test
  void Deciding_Issued_GoodsIssued() {
    assertThat(in(DECIDING).on(new Event.GoodsDecided(GoodsDecision.ISSUED)))
        .containsExactly(reply(OK));
    assertThat(machine.state()).isEqualTo(GOODS_ISSUED);
  }

  @Test
  void Deciding_Refused_GoodsRefused() {
    assertThat(in(DECIDING).on(new Event.GoodsDecided(GoodsDecision.REFUSED)))
        .containsExactly(reply(Apdu.of(0x84, 0x66)));
    assertThat(machine.state()).isEqualTo(GOODS_REFUSED);
  }

  @Test
  void Deciding_Pending_DecidingAnswersPleaseWait() {
    assertThat(in(DECIDING).on(new Event.GoodsPending()))
        .containsExactly(reply(Apdu.of(0x84, 0x9C)));
    assertThat(machine.state()).isEqualTo(DECIDING);
  }

  @Test
  void Deciding_RepeatedStatusInformation_DecidingAwaitsAgain() {
    assertThat(in(DECIDING).on(got(APPROVED))).containsExactly(new Action.AwaitGoods());
    assertThat(machine.state()).isEqualTo(DECIDING);
  }

  @Test
  void Deciding_PtAbort_DoneReversed() {
    assertThat(in(DECIDING).on(got(ptAbort(0x66))))
        .containsExactly(
            reply(OK),
            finish(new AuthorizationResult.Reversed(approvedInfo(), 0x66, "processing error")));
  }

  @Test
  void Deciding_AbortRequested_DecidingTooLate() {
    assertThat(in(DECIDING).on(new Event.AbortRequested())).isEmpty();
    assertThat(machine.state()).isEqualTo(DECIDING);
  }

  @Test
  void Deciding_TimedOut_DoneOutcomeUnknownWithTheApproval() {
    AuthorizationResult r = ((Action.Finish) in(DECIDING).on(new Event.TimedOut()).get(0)).result();
    assertThat(r).isInstanceOf(AuthorizationResult.OutcomeUnknown.class);
    assertThat(((AuthorizationResult.OutcomeUnknown) r).lastInfo()).contains(approvedInfo());
  }

  // ---------------------------------------------------------------- GOODS_ISSUED

  @Test
  void GoodsIssued_TextBlock_GoodsIssued() {
    assertThat(in(GOODS_ISSUED).on(got(RECEIPT)))
        .containsExactly(reply(OK), new Action.Receipt(List.of("LOCKER 7", "20,40 EUR")));
    assertThat(machine.state()).isEqualTo(GOODS_ISSUED);
  }

  @Test
  void GoodsIssued_Completion_DoneApprovedWithTheReceipt() {
    in(GOODS_ISSUED).on(got(RECEIPT));
    assertThat(machine.on(got(COMPLETION)))
        .containsExactly(
            reply(OK),
            finish(
                new AuthorizationResult.Approved(
                    approvedInfo(), List.of("LOCKER 7", "20,40 EUR"))));
  }

  @Test
  void GoodsIssued_PtAbort_DoneOutcomeUnknown() {
    List<Action> actions = in(GOODS_ISSUED).on(got(ptAbort(0xFF)));
    assertThat(((Action.Finish) actions.get(1)).result())
        .isInstanceOf(AuthorizationResult.OutcomeUnknown.class);
  }

  @Test
  void GoodsIssued_TimedOut_DoneOutcomeUnknown() {
    assertThat(((Action.Finish) in(GOODS_ISSUED).on(new Event.TimedOut()).get(0)).result())
        .isInstanceOf(AuthorizationResult.OutcomeUnknown.class);
  }

  // ---------------------------------------------------------------- GOODS_REFUSED

  @Test
  void GoodsRefused_SendingAutoReversal_GoodsRefused() {
    assertThat(in(GOODS_REFUSED).on(got(AUTO_REVERSAL)))
        .containsExactly(reply(OK), new Action.Intermediate(0x05, "sending auto-reversal"));
    assertThat(machine.state()).isEqualTo(GOODS_REFUSED);
  }

  @Test
  void GoodsRefused_PtAbort_DoneReversed() {
    assertThat(in(GOODS_REFUSED).on(got(ptAbort(0x66))))
        .containsExactly(
            reply(OK),
            finish(new AuthorizationResult.Reversed(approvedInfo(), 0x66, "processing error")));
  }

  @Test
  void GoodsRefused_Completion_DoneOutcomeUnknown() {
    List<Action> actions = in(GOODS_REFUSED).on(got(COMPLETION));
    assertThat(((Action.Finish) actions.get(1)).result())
        .isInstanceOf(AuthorizationResult.OutcomeUnknown.class);
  }

  @Test
  void GoodsRefused_LinkLost_DoneOutcomeUnknown() {
    assertThat(((Action.Finish) in(GOODS_REFUSED).on(new Event.LinkLost("x")).get(0)).result())
        .isInstanceOf(AuthorizationResult.OutcomeUnknown.class);
  }

  // ---------------------------------------------------------------- DECLINED

  @Test
  void Declined_Completion_DoneDeclined() {
    assertThat(in(DECLINED).on(got(COMPLETION)))
        .containsExactly(
            reply(OK),
            finish(
                new AuthorizationResult.Declined(
                    0x05, "declined by the authorisation host (code 05)")));
  }

  @Test
  void Declined_CompletionAfterRc6C_DoneAborted() {
    in(PT_MASTER).on(got(DECLINED_6C));
    assertThat(machine.on(got(COMPLETION)))
        .containsExactly(
            reply(OK),
            finish(new AuthorizationResult.Aborted(0x6C, "abort via timeout or abort key")));
  }

  @Test
  void Declined_PtAbort_DoneDeclined() {
    assertThat(((Action.Finish) in(DECLINED).on(got(ptAbort(0x05))).get(1)).result())
        .isInstanceOf(AuthorizationResult.Declined.class);
  }

  @Test
  void Declined_LinkLost_DoneDeclined() {
    assertThat(((Action.Finish) in(DECLINED).on(new Event.LinkLost("x")).get(0)).result())
        .isInstanceOf(AuthorizationResult.Declined.class);
  }

  // ---------------------------------------------------------------- refused pairs

  @Test
  void aGoodsDecisionNobodyAskedForIsRefused() {
    assertThatThrownBy(() -> in(PT_MASTER).on(new Event.GoodsDecided(GoodsDecision.ISSUED)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PT_MASTER");
    assertThatThrownBy(() -> new AuthorizationMachine().on(new Event.GoodsPending()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void nothingHappensAfterDone() {
    assertThatThrownBy(() -> in(DONE).on(got(OK))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> machine.on(new Event.TimedOut()))
        .isInstanceOf(IllegalStateException.class);
  }
}
