package dev.pbstoolchain.core.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an {@link InputStream} whose reads fail when no byte arrives for a while. The
 * JDK's own body stream waits forever on a silent connection, which would hang a CI job; failing
 * lets {@link Downloader} resume the transfer instead.
 */
final class StallGuardedBody extends InputStream
    implements HttpResponse.BodySubscriber<InputStream> {

  private static final List<ByteBuffer> END = List.of();

  private final Duration stallTimeout;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
  private volatile Flow.Subscription subscription;
  private Iterator<ByteBuffer> buffers = END.iterator();
  private ByteBuffer current;
  private boolean ended;

  StallGuardedBody(Duration stallTimeout) {
    this.stallTimeout = stallTimeout;
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription newSubscription) {
    subscription = newSubscription;
    newSubscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable throwable) {
    queue.add(throwable);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int count) throws IOException {
    if (count == 0) {
      return 0;
    }
    while (current == null || !current.hasRemaining()) {
      if (buffers.hasNext()) {
        current = buffers.next();
        continue;
      }
      if (ended) {
        return -1;
      }
      Object next = take();
      if (next == END) {
        ended = true;
        return -1;
      }
      if (next instanceof Throwable error) {
        ended = true;
        throw error instanceof IOException io ? io : new IOException(error.getMessage(), error);
      }
      @SuppressWarnings("unchecked")
      List<ByteBuffer> list = (List<ByteBuffer>) next;
      buffers = list.iterator();
      subscription.request(1);
    }
    int n = Math.min(count, current.remaining());
    current.get(target, offset, n);
    return n;
  }

  private Object take() throws IOException {
    try {
      Object next = queue.poll(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (next == null) {
        close();
        throw new IOException("no data received for " + stallTimeout.toSeconds() + " s");
      }
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    ended = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
