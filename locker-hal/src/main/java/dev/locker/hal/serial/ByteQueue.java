package dev.locker.hal.serial;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Received bytes waiting to be read: a growable ring filled by one thread, drained by another. */
final class ByteQueue {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private byte[] buffer = new byte[256];
  private int head;
  private int size;
  private boolean closed;

  void put(byte[] bytes, int offset, int length) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (size + length > buffer.length) {
        byte[] bigger = new byte[Math.max(buffer.length * 2, size + length)];
        for (int i = 0; i < size; i++) {
          bigger[i] = buffer[(head + i) % buffer.length];
        }
        buffer = bigger;
        head = 0;
      }
      for (int i = 0; i < length; i++) {
        buffer[(head + size + i) % buffer.length] = bytes[offset + i];
      }
      size += length;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  byte[] take(int max, Duration timeout, String name) throws IOException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (size == 0) {
        if (closed) {
          throw new IOException(name + " is closed");
        }
        if (remaining <= 0) {
          return new byte[0];
        }
        try {
          remaining = arrived.awaitNanos(remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while reading " + name, e);
        }
      }
      int n = Math.min(max, size);
      byte[] out = new byte[n];
      for (int i = 0; i < n; i++) {
        out[i] = buffer[(head + i) % buffer.length];
      }
      head = (head + n) % buffer.length;
      size -= n;
      return out;
    } finally {
      lock.unlock();
    }
  }

  void clear() {
    lock.lock();
    try {
      head = 0;
      size = 0;
    } finally {
      lock.unlock();
    }
  }

  void close() {
    lock.lock();
    try {
      closed = true;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }
}
