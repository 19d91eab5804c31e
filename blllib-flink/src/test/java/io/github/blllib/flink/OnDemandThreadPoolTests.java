package io.github.blllib.flink;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool starts a thread only for a call no idle thread can take, up to its maximum. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OnDemandThreadPoolTests {

	@Test
	void callsMadeOneAtATimeShareOneThread() throws Exception {
		ExecutorService pool = OnDemandThreadPool.create(1000, "on-demand-one-at-a-time");
		try {
			for (int i = 0; i < 50; i++) {
				pool.submit(() -> {
				}).get();
				Awaitility.await().until(() -> allIdle("on-demand-one-at-a-time"));
			}
			assertThat(threads("on-demand-one-at-a-time")).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> threads("on-demand-one-at-a-time") == 0);
	}

	@Test
	void callsBeyondTheMaximumWaitForAFreeThread() throws Exception {
		ExecutorService pool = OnDemandThreadPool.create(3, "on-demand-capped");
		CountDownLatch release = new CountDownLatch(1);
		try {
			List<Future<Integer>> calls = IntStream.range(0, 10).mapToObj((i) -> pool.submit(() -> {
				release.await();
				return i;
			})).toList();
			Awaitility.await().until(() -> threads("on-demand-capped") == 3);
			release.countDown();
			for (int i = 0; i < calls.size(); i++) {
				assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
			}
			assertThat(threads("on-demand-capped")).isEqualTo(3);
		}
		finally {
			pool.shutdownNow();
		}
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> threads("on-demand-capped") == 0);
	}

	private static long threads(String prefix) {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().startsWith(prefix + "-")).count();
	}

	/** Every thread of the pool waits for its next call. */
	private static boolean allIdle(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((t) -> t.getName().startsWith(prefix + "-"))
			.allMatch((t) -> t.getState() == Thread.State.TIMED_WAITING);
	}

}
