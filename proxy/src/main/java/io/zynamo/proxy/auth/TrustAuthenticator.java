package io.zynamo.proxy.auth;

import io.zynamo.driver.error.ZynamoSqlState;

/** Accepts every client as the user it names: for loopback only (the embedded default). */
public final class TrustAuthenticator implements Authenticator {

  @Override
  public Exchange begin(String user) {
    return new Exchange() {
      @Override
      public Step first() {
        return new Success(null);
      }

      @Override
      public Step next(byte[] response) {
        return new Failure(ZynamoSqlState.PROTOCOL_VIOLATION, "unexpected password message");
      }
    };
  }
}
