package io.github.blllib.demo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.blllib.demo.ResumablePipeline.Output;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kills (SIGKILL) a JVM running the resumable job at random moments, restarts it each time and
 * lets the last run finish: the H2 table then holds every expected output exactly once, and
 * after each kill it holds exactly the outputs before the stored position.
 */
class ResumableJobCrashTests {

	private static final int ITEMS = 30_000;

	private static final int KILLS = 6;

	private static final Pattern STORED = Pattern.compile("stored position ([\\d,]+)");

	private static final Pattern STARTED = Pattern.compile("(?:resumed|started) at input ([\\d,]+)");

	@TempDir
	private Path directory;

	@Test
	void jobKilledAtRandomMomentsAndRestartedStoresEveryOutputExactlyOnce() throws Exception {
		long seed = new Random().nextLong();
		Random random = new Random(seed);
		String url = "jdbc:h2:file:" + this.directory.resolve("blllib-demo-db").toAbsolutePath()
				+ ";WRITE_DELAY=0";
		List<Output> expected = ResumableJobReference.outputs(ITEMS);
		long stored = 0;
		for (int kill = 0; kill < KILLS; kill++) {
			long threshold = stored + 1 + random.nextInt(ITEMS / (KILLS + 2));
			try (JobProcess job = JobProcess.start(url)) {
				await().atMost(Duration.ofSeconds(30))
					.until(() -> job.storedPosition() >= threshold || !job.isAlive());
				assertThat(job.isAlive()).as("seed %d, the job ended before kill %d:%n%s", seed, kill, job.output())
					.isTrue();
				assertThat(job.startedAt()).as("seed %d", seed).isEqualTo(stored);
				job.kill();
			}
			long position = checkpointPosition(url);
			assertThat(position).as("seed %d, kill %d", seed, kill).isGreaterThanOrEqualTo(stored);
			stored = position;
			long delivered = stored;
			assertThat(storedOutputs(url)).as("seed %d: after kill %d at position %d", seed, kill, stored)
				.isEqualTo(expected.stream().filter((output) -> output.n() <= delivered).toList());
		}
		try (JobProcess job = JobProcess.start(url)) {
			assertThat(job.awaitExit()).as("seed %d, the last run's exit code:%n%s", seed, job.output()).isZero();
			assertThat(job.startedAt()).isEqualTo(stored);
		}
		assertThat(query(url, "select count(*) from resumable_outputs")).isEqualTo(expected.size());
		assertThat(query(url, "select count(distinct n) from resumable_outputs")).isEqualTo(expected.size());
		assertThat(storedOutputs(url)).as("seed %d", seed).isEqualTo(expected);
		assertThat(checkpointPosition(url)).isEqualTo(ITEMS);
	}

	private static long checkpointPosition(String url) throws SQLException {
		return query(url, "select position from resumable_checkpoint where id = 1");
	}

	private static long query(String url, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, "sa", "");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

	private static List<Output> storedOutputs(String url) throws SQLException {
		List<Output> outputs = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(url, "sa", "");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select n, difference, total from resumable_outputs order by n")) {
			while (result.next()) {
				outputs.add(new Output(result.getLong(1), result.getLong(2), result.getLong(3)));
			}
		}
		return outputs;
	}

	/** A JVM running the resumable job, with what it logs read as it comes. */
	private static final class JobProcess implements AutoCloseable {

		private final Process process;

		private final StringBuffer output = new StringBuffer();

		private final AtomicLong storedPosition = new AtomicLong(-1);

		private final AtomicLong startedAt = new AtomicLong(-1);

		private final Thread reader;

		private JobProcess(Process process) {
			this.process = process;
			this.reader = new Thread(this::readOutput, "resumable-job-output");
			this.reader.setDaemon(true);
			this.reader.start();
		}

		static JobProcess start(String url) throws IOException {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp",
					System.getProperty("java.class.path"), DemoApplication.class.getName(),
					"--spring.profiles.active=" + ResumableJob.PROFILE, "--spring.datasource.url=" + url,
					"--demo.items=" + ITEMS, "--demo.items-per-second=10000", "--demo.chunk-size=200",
					"--demo.progress-interval=1ms", "--spring.main.banner-mode=off");
			builder.redirectErrorStream(true);
			builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
			return new JobProcess(builder.start());
		}

		private void readOutput() {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					this.output.append(line).append(System.lineSeparator());
					record(STORED.matcher(line), this.storedPosition);
					record(STARTED.matcher(line), this.startedAt);
				}
			}
			catch (IOException ex) {
				// the process was killed
			}
		}

		private static void record(Matcher matcher, AtomicLong value) {
			if (matcher.find()) {
				value.set(Long.parseLong(matcher.group(1).replace(",", "")));
			}
		}

		long storedPosition() {
			return this.storedPosition.get();
		}

		/** The position the job said it started at, -1 before it said so. */
		long startedAt() {
			return this.startedAt.get();
		}

		boolean isAlive() {
			return this.process.isAlive();
		}

		String output() {
			return this.output.toString();
		}

		/** SIGKILL on Linux: no shutdown hook, no close, no last commit. */
		void kill() throws InterruptedException {
			this.process.destroyForcibly();
			this.process.waitFor();
		}

		int awaitExit() throws InterruptedException {
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
			this.process.waitFor();
			this.reader.join(TimeUnit.SECONDS.toMillis(10));
			return this.process.exitValue();
		}

		@Override
		public void close() throws InterruptedException {
			kill();
			this.reader.join(TimeUnit.SECONDS.toMillis(10));
		}

	}

}
