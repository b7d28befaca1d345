/**
 * Reading QR codes with a camera (device-protocols.md §3.2): a {@link
 * dev.locker.hal.camera.FrameSource} gives still frames (a capture command on the device, an
 * emulator in the simulator), the {@link dev.locker.hal.camera.QrFrameDecoder} finds a code in a
 * frame with zxing, and the {@link dev.locker.hal.camera.CameraScanner} runs the two on its own
 * thread as locker-core's {@code CodeScanner}, beside or instead of the serial scanner.
 */
package dev.locker.hal.camera;
