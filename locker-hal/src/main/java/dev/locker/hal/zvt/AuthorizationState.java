package dev.locker.hal.zvt;

/**
 * Where an authorization {@code 06 01} stands on the ECR side (device-protocols.md §4.4). {@link
 * AuthorizationMachine} holds every transition in one method per state; "reply" is the ECR's APDU
 * answer to the terminal's message (link ACKs are below this level).
 *
 * <pre>
 *                      06 01 sent, link ACKed
 *                               │
 *                               ▼
 *                      ┌──────────────────┐ 84 9C ─► (stay, T3 restarts)
 *                      │ AWAIT_COMMAND_ACK│ 84 xx ─────────────────────────► DONE Declined(xx)
 *                      └──────────────────┘ T3 ───────────────────────────► DONE NoTerminal
 *                    80 00 00 │ (abort wanted: send 06 B0 ─► ABORTING)       link lost ─► Unknown
 *                               ▼
 *   04 FF ─► reply 80   ┌──────────────────┐ abort ─► send 06 B0 ┌──────────┐ 84 xx ─► PT_MASTER
 *   06 D1/D3 ─► 80,     │    PT_MASTER     │────────────────────►│ ABORTING │ (otherwise as
 *     keep receipt      └──────────────────┘                     └──────────┘  PT_MASTER)
 *                        │       │        │  06 1E rc ─► reply 80 ─► DONE Aborted(6C)/Declined(rc)
 *                        │       │        │  06 0F (no 04 0F) ─► reply 80 ─► DONE Unknown
 *                        │       │        │  T4 ─► send 06 B0 ─► ABORTING (T3 for its answer)
 *      04 0F rc≠0 ─► 80  │       │        │  ABORTING: T3 ─► DONE Unknown; link lost ─► Unknown
 *                        ▼       │        └──────── 04 0F unreadable ─► reply 84 66 ──┐
 *                 ┌──────────┐   │ 04 0F rc=00                                       │
 *                 │ DECLINED │   ▼ ask the goods decision                            │
 *                 └──────────┘ ┌──────────┐ pending ─► reply 84 9C (PT repeats 04 0F) │
 *   06 0F / 06 1E ─► reply 80  │ DECIDING │ repeated 04 0F ─► ask again               │
 *   ─► DONE Declined(rc)       └──────────┘ 06 1E ─► DONE Reversed; T4/link ─► Unknown│
 *   (rc 6C: Aborted)     ISSUED │      │ REFUSED (or patience spent)                 │
 *   T4, link lost ─►            │      │   reply 84 66 00                            │
 *     DONE Declined   reply 80  ▼      ▼                                             │
 *               ┌──────────────┐    ┌───────────────┐◄───────────────────────────────┘
 *               │ GOODS_ISSUED │    │ GOODS_REFUSED │ 04 FF 05 "sending auto-reversal" ─► 80
 *               └──────────────┘    └───────────────┘
 *     06 0F ─► 80 ─► DONE Approved   06 1E rc ─► 80 ─► DONE Reversed(rc)
 *     06 1E, T4, link ─► DONE Unknown 06 0F, T4, link ─► DONE Unknown (reverse by receipt no)
 * </pre>
 *
 * In every state before DONE, 04 FF and 06 D1/D3 are answered 80 00 00, and an APDU the machine
 * does not know is answered 84 83 00 (function not possible). PT_MASTER's T4 sends 06 B0 once: a
 * second T4 after the terminal refused that abort (84 xx, back to PT_MASTER) ends in DONE Unknown,
 * since asking again would go on forever.
 */
public enum AuthorizationState {
  AWAIT_COMMAND_ACK,
  PT_MASTER,
  ABORTING,
  DECIDING,
  GOODS_ISSUED,
  GOODS_REFUSED,
  DECLINED,
  DONE
}
