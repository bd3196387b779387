package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.proxy.wire.BackendMessage.EncryptionAccepted;
import io.zynamo.proxy.wire.BackendMessage.EncryptionRefused;
import io.zynamo.proxy.wire.FrontendMessage;
import io.zynamo.proxy.wire.FrontendMessage.CancelRequest;
import io.zynamo.proxy.wire.FrontendMessage.GssEncRequest;
import io.zynamo.proxy.wire.FrontendMessage.SslRequest;
import io.zynamo.proxy.wire.FrontendMessage.StartupMessage;
import io.zynamo.proxy.wire.ProtocolException;
import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/**
 * The Netty end of one connection, on its own event loop ({@link ConnectionLoops}): answers
 * SSLRequest (TLS when configured) and GSSENCRequest, hands a CancelRequest to the session it names
 * and closes, runs every other message through the session on this thread, and turns a malformed
 * message into a FATAL ErrorResponse that closes this connection only.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter {

  private static final System.Logger LOG = System.getLogger(ConnectionHandler.class.getName());

  private final Sessions sessions;
  private final Replies replies;
  private final Session session;
  private final BackendKeys keys;
  private final @Nullable SslContext tls;
  private final boolean tlsRequired;
  private boolean admitted;
  private boolean encrypted;

  ConnectionHandler(
      Sessions sessions,
      Replies replies,
      Session session,
      BackendKeys keys,
      @Nullable SslContext tls,
      boolean tlsRequired) {
    this.sessions = requireNonNull(sessions, "sessions");
    this.replies = requireNonNull(replies, "replies");
    this.session = requireNonNull(session, "session");
    this.keys = requireNonNull(keys, "keys");
    this.tls = tls;
    this.tlsRequired = tlsRequired;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    admitted = sessions.admit();
    if (!admitted) {
      var unused =
          ctx.writeAndFlush(
                  ErrorResponses.of(
                      "FATAL",
                      ZynamoSqlState.TOO_MANY_CONNECTIONS,
                      "sorry, too many clients already"))
              .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!admitted) {
      return;
    }
    if (msg instanceof SslRequest && tls != null && !encrypted) {
      startTls(ctx, tls);
    } else if (msg instanceof SslRequest || msg instanceof GssEncRequest) {
      var unused = ctx.writeAndFlush(new EncryptionRefused());
    } else if (msg instanceof StartupMessage && tlsRequired && !encrypted) {
      var unused =
          ctx.writeAndFlush(
                  ErrorResponses.of(
                      "FATAL",
                      ZynamoSqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                      "this proxy accepts only TLS connections (sslmode=require)"))
              .addListener(ChannelFutureListener.CLOSE);
    } else if (msg instanceof CancelRequest cancel) {
      keys.cancel(cancel.processId(), cancel.secretKey());
      var unused = ctx.close();
    } else if (msg instanceof FrontendMessage message) {
      session.handle(message);
    } else {
      throw new IllegalStateException("not a frontend message: " + msg);
    }
  }

  /**
   * Answers 'S', then puts TLS below the decoders. Both happen on the event loop before the next
   * read, and the StartupDecoder has refused any byte that came with the SSLRequest, so every byte
   * from here on goes through the handshake.
   */
  private void startTls(ChannelHandlerContext ctx, SslContext context) {
    var unused = ctx.writeAndFlush(new EncryptionAccepted());
    ctx.pipeline().addFirst("tls", context.newHandler(ctx.alloc()));
    encrypted = true;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (admitted) {
      admitted = false;
      sessions.release();
      session.close();
    }
    replies.discard();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    replies.writePending(); // what the session sent before the bad message goes first
    Throwable e =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (e instanceof ProtocolException protocol) {
      LOG.log(
          Level.DEBUG, "closing " + ctx.channel().remoteAddress() + ": " + protocol.getMessage());
      var unused =
          ctx.writeAndFlush(ErrorResponses.of("FATAL", protocol.state(), protocol.getMessage()))
              .addListener(ChannelFutureListener.CLOSE);
    } else {
      LOG.log(Level.DEBUG, "closing " + ctx.channel().remoteAddress() + ": " + e);
      var unused = ctx.close();
    }
  }
}
