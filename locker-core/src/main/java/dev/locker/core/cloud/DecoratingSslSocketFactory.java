package dev.locker.core.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLSocketFactory} that hands every socket its delegate makes through {@code decorate}.
 */
final class DecoratingSslSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;
  private final UnaryOperator<Socket> decorate;

  DecoratingSslSocketFactory(SSLSocketFactory delegate, UnaryOperator<Socket> decorate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.decorate = Objects.requireNonNull(decorate, "decorate");
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return decorate.apply(delegate.createSocket());
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose)
      throws IOException {
    return decorate.apply(delegate.createSocket(socket, host, port, autoClose));
  }

  @Override
  public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose)
      throws IOException {
    return decorate.apply(delegate.createSocket(socket, consumed, autoClose));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return decorate.apply(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return decorate.apply(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return decorate.apply(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return decorate.apply(delegate.createSocket(address, port, localAddress, localPort));
  }
}
