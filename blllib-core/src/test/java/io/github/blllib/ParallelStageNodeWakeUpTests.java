package io.github.blllib;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The wake-up of a consumer that waits for a stage on drainer threads: whichever item is its
 * head when it parks wakes it, also when the head it published before waiting was dropped
 * meanwhile and the poll it made before parking handed that item on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParallelStageNodeWakeUpTests {

	@Test
	void aConsumerThatHandedOnADroppedHeadAfterPublishingItIsWokenByTheNextHead() throws Exception {
		CountDownLatch release0 = new CountDownLatch(1);
		CountDownLatch release1 = new CountDownLatch(1);
		StageSpec<Integer, Integer> spec = StageSpec.stateless("gated", (Integer x) -> {
			(x == 0 ? release0 : release1).await();
			// item 0 is dropped, item 1 kept
			return (x == 0) ? null : x;
		}).batchSize(2);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		RunState signals = new RunState("wake", false);
		DrainerGroup drainers = new DrainerGroup(pool, 2, signals);
		ParallelStageNode node = new ParallelStageNode("wake", spec, new StageCounters("gated"),
				new ItemsThenNotReady(0, 1), signals, drainers, (item) -> {
				}, 1, 1);
		drainers.add(node);
		ParkingConsumer consumer = new ParkingConsumer(node, signals, RunNode::pollWhileWaiting);
		try {
			assertThat(consumer.start()).isSameAs(RunNode.NOT_READY);
			release0.countDown();
			// the drainer that ran item 0 has written it, signalled and left: item 1 holds the other
			await().atMost(10, TimeUnit.SECONDS)
				.until(() -> ((ThreadPoolExecutor) pool).getCompletedTaskCount() == 1);
			// item 0 was dropped after it was published as the head waited for: the last poll
			// hands it on and finds item 1 not yet done
			assertThat(consumer.goOn()).isSameAs(RunNode.NOT_READY);
			release1.countDown();
			assertThat(consumer.awaitWoken()).as("woken by the completion of item 1").isTrue();
			assertThat(node.poll()).isEqualTo(1);
		}
		finally {
			consumer.stop();
			release0.countDown();
			release1.countDown();
			signals.beginClose();
			drainers.cancel();
			pool.shutdownNow();
			assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

}
