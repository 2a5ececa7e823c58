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
 * lets {@link Downloader} resume the transfer instead. While it waits it wakes up every second so
 * the {@link TransferWatch} can report progress and enforce the low-speed limit.
 */
final class StallGuardedBody extends BulkInputStream
    implements HttpResponse.BodySubscriber<InputStream> {

  private static final List<ByteBuffer> END = List.of();

  private static final long TICK_MILLIS = 1000;

  private final Duration stallTimeout;
  private final TransferWatch watch;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
  private volatile Flow.Subscription subscription;
  private Iterator<ByteBuffer> buffers = END.iterator();
  private ByteBuffer current;
  private boolean ended;

  StallGuardedBody(Duration stallTimeout, TransferWatch watch) {
    this.stallTimeout = stallTimeout;
    this.watch = watch;
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
    watch.received(n);
    return n;
  }

  private Object take() throws IOException {
    long deadline = System.nanoTime() + stallTimeout.toNanos();
    try {
      while (true) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          close();
          throw new StallException(
              "no data received for "
                  + TransferWatch.duration(stallTimeout)
                  + " ("
                  + dev.pbstoolchain.core.PropertyNames.STALL_TIMEOUT
                  + ")");
        }
        Object next = queue.poll(Math.min(left, TICK_MILLIS), TimeUnit.MILLISECONDS);
        if (next != null) {
          return next;
        }
        try {
          watch.idle();
        } catch (IOException e) {
          close();
          throw e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IOException("interrupted", e);
    }
  }

  /** No byte arrived within the stall timeout: worth resuming. */
  static final class StallException extends IOException {
    private static final long serialVersionUID = 1L;

    StallException(String message) {
      super(message);
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
