package io.github.blllib;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A drainer group's cancel: it interrupts the threads running the group's stage code and waits
 * for them to leave, and reaches no thread that has left, whatever that thread runs next.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DrainerGroupCancelTests {

	private final ExecutorService pool = Executors.newSingleThreadExecutor();

	private final RunState run = new RunState("cancel", false);

	private final DrainerGroup group = new DrainerGroup(this.pool, 1, this.run);

	@AfterEach
	void shutDown() throws InterruptedException {
		this.pool.shutdownNow();
		assertThat(this.pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void cancelInterruptsTheStageCodeRunningAndWaitsUntilItHasLeft() throws Exception {
		CountDownLatch inside = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		AtomicBoolean leftCode = new AtomicBoolean();
		this.group.runDetached((site) -> {
			inside.countDown();
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
			leftCode.set(true);
		});
		assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
		cancel();
		this.group.awaitDrainers();
		assertThat(interrupted).isTrue();
		assertThat(leftCode).as("awaitDrainers returned only once the code had returned").isTrue();
		// the interrupt was the group's: the pool's next task does not see it
		assertThat(this.pool.submit(() -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS)).isFalse();
	}

	@Test
	void cancelDoesNotReachAThreadThatLeftTheGroupForAnotherTask() throws Exception {
		CountDownLatch ran = new CountDownLatch(1);
		this.group.runDetached((site) -> ran.countDown());
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		CountDownLatch otherStarted = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		// the pool's one thread runs this after it left the group's code
		Future<?> other = this.pool.submit(() -> {
			otherStarted.countDown();
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
		});
		assertThat(otherStarted.await(10, TimeUnit.SECONDS)).isTrue();
		cancel();
		this.group.awaitDrainers();
		release.countDown();
		other.get(10, TimeUnit.SECONDS);
		assertThat(interrupted).as("the other task was interrupted by the group's cancel").isFalse();
	}

	@Test
	void nothingRunsOnceCancelled() throws Exception {
		cancel();
		AtomicBoolean ran = new AtomicBoolean();
		this.group.runDetached((site) -> ran.set(true));
		// the pool's next task runs after the refused one
		assertThat(this.pool.submit(() -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS)).isFalse();
		assertThat(ran).isFalse();
		this.group.awaitDrainers();
	}

	@Test
	void aStageThreadThatCancelsItsOwnGroupDoesNotWaitForItself() throws Exception {
		CountDownLatch done = new CountDownLatch(1);
		AtomicBoolean waitedForItself = new AtomicBoolean();
		this.group.runDetached((site) -> {
			cancel();
			try {
				this.group.awaitDrainers();
			}
			catch (InterruptedException ex) {
				// the cancel interrupted this thread: a wait for itself ends here instead of never
				waitedForItself.set(true);
			}
			done.countDown();
		});
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(waitedForItself).isFalse();
		this.group.awaitDrainers();
	}

	/** A group is cancelled once its run is closing. */
	private void cancel() {
		this.run.beginClose();
		this.group.cancel();
	}

}
