package dev.locker.sim;

/** Entry point of simulator.jar. */
public final class SimulatorMain {
  private SimulatorMain() {}

  public static void main(String[] args) {
    System.out.println("simulator");
  }
}
