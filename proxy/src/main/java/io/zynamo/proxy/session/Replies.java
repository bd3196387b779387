package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.nio.AbstractNioChannel;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.proxy.wire.BackendMessage;
import io.zynamo.proxy.wire.MessageEncoder;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Writes one session's messages, in order, on the connection's own event loop ({@link
 * ConnectionLoops}), where the session runs. Messages are encoded into one buffer that goes to the
 * channel at {@link #flush()} (Sync, Flush, the end of a simple query) or once it holds {@value
 * #WRITE_AT} bytes: one allocation and one trip down the pipeline for a statement's few replies,
 * not one per message. Every reply is written with backpressure: when the channel's buffer is above
 * its high-water mark, the session waits until the socket has taken it below the low-water mark, so
 * neither a large result nor a client that pipelines statements without reading the answers piles
 * up replies in memory.
 */
final class Replies {

  /** The encoded replies go to the channel once they are this many bytes. */
  static final int WRITE_AT = 32 * 1024;

  private final Channel channel;

  /** Replies encoded and not yet handed to the channel, or null. */
  private @Nullable ByteBuf pending;

  Replies(Channel channel) {
    this.channel = requireNonNull(channel, "channel");
  }

  void send(BackendMessage message) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> send(message));
      return;
    }
    ByteBuf buffer = pending;
    if (buffer == null) {
      buffer = channel.alloc().ioBuffer(256);
      pending = buffer;
    }
    MessageEncoder.encode(message, buffer);
    if (buffer.readableBytes() >= WRITE_AT) {
      writePending();
      if (!channel.isWritable()) {
        // A client that does not read stops the session, as it stops a PostgreSQL backend.
        flushAndWait();
      }
    }
  }

  /** Hands the encoded replies to the channel (not flushed). */
  void writePending() {
    ByteBuf buffer = pending;
    if (buffer != null) {
      pending = null;
      var unused = channel.write(buffer, channel.voidPromise());
    }
  }

  /** Sends a row (waiting while the client reads too slowly); fails once the client is gone. */
  void sendRow(BackendMessage row) throws SQLException {
    send(row);
    if (!channel.isActive()) {
      throw ZynamoErrors.create(
          ZynamoSqlState.CONNECTION_FAILURE, "the client closed the connection");
    }
  }

  /**
   * Flushes what was handed to the channel, then waits, on the connection's loop, until the socket
   * has taken the channel's buffer below its low-water mark. The loop cannot wait for the socket
   * the usual way (it is this thread, busy with the session), so it writes what the socket takes,
   * pausing between tries (50 µs, doubling up to 1 ms). A write the loop had left pending is
   * forced: a plain flush would wait for the loop to see the socket writable.
   */
  private void flushAndWait() {
    channel.flush();
    long pause = 50_000;
    while (!channel.isWritable() && channel.isActive()) {
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, 1_000_000);
      if (channel.unsafe() instanceof AbstractNioChannel.NioUnsafe nio) {
        nio.forceFlush();
      } else {
        channel.flush();
      }
    }
  }

  void flush() {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(this::flush);
      return;
    }
    writePending();
    flushAndWait();
  }

  /** The connection is gone: replies not handed to it yet are dropped. */
  void discard() {
    ByteBuf buffer = pending;
    if (buffer != null) {
      pending = null;
      buffer.release();
    }
  }

  /** Flushes, then closes the connection. */
  void close() {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(this::close);
      return;
    }
    writePending();
    var unused =
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }
}
