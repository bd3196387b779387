package io.zynamo.proxy.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zynamo.proxy.wire.BackendMessage.CommandComplete;
import io.zynamo.proxy.wire.BackendMessage.DataRow;
import io.zynamo.proxy.wire.BackendMessage.EncryptionRefused;
import io.zynamo.proxy.wire.BackendMessage.ErrorField;
import io.zynamo.proxy.wire.BackendMessage.ErrorResponse;
import io.zynamo.proxy.wire.BackendMessage.Field;
import io.zynamo.proxy.wire.BackendMessage.ReadyForQuery;
import io.zynamo.proxy.wire.BackendMessage.RowDescription;
import io.zynamo.proxy.wire.BackendMessage.TransactionStatus;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageEncoderTest {

  private static byte[] encode(BackendMessage message) {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageEncoder());
    channel.writeOutbound(message);
    ByteBuf out = channel.readOutbound();
    byte[] bytes = ByteBufUtil.getBytes(out);
    out.release();
    assertFalse(channel.finish());
    return bytes;
  }

  @Test
  void framesWithTypeAndLength() {
    assertArrayEquals(
        new byte[] {'Z', 0, 0, 0, 5, 'I'}, encode(new ReadyForQuery(TransactionStatus.IDLE)));
    assertArrayEquals(
        new byte[] {'C', 0, 0, 0, 15, 'I', 'N', 'S', 'E', 'R', 'T', ' ', '0', ' ', '1', 0},
        encode(new CommandComplete("INSERT 0 1")));
  }

  @Test
  void encryptionRefusedIsOneUnframedByte() {
    assertArrayEquals(new byte[] {'N'}, encode(new EncryptionRefused()));
  }

  @Test
  void dataRowWritesNullAsMinusOne() {
    assertArrayEquals(
        new byte[] {'D', 0, 0, 0, 15, 0, 2, 0, 0, 0, 1, 'x', -1, -1, -1, -1},
        encode(new DataRow(Arrays.asList(new byte[] {'x'}, null))));
  }

  @Test
  void rowDescriptionAndErrorResponseLayouts() {
    byte[] row =
        encode(
            new RowDescription(
                List.of(new Field("a", 0, (short) 0, 23, (short) 4, -1, (short) 0))));
    assertArrayEquals(
        new byte[] {
          'T', 0, 0, 0, 26, 0, 1, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 23, 0, 4, -1, -1, -1, -1, 0, 0
        },
        row);
    byte[] error =
        encode(
            new ErrorResponse(List.of(new ErrorField('S', "ERROR"), new ErrorField('C', "42P01"))));
    assertArrayEquals(
        new byte[] {
          'E', 0, 0, 0, 19, 'S', 'E', 'R', 'R', 'O', 'R', 0, 'C', '4', '2', 'P', '0', '1', 0, 0
        },
        error);
  }
}
