package io.github.blllib.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.demo.ResumablePipeline.Output;
import io.github.blllib.demo.ResumableStore.Checkpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The job that survives a crash (profile {@value #PROFILE}): feeds the numbers
 * 1..{@code demo.items} through {@link ResumablePipeline} and stores every
 * {@code demo.chunk-size} outputs in one transaction together with
 * {@link PipelineRun#position()} and the running total's state. On start it reads them back
 * and feeds only {@code inputs[position..]}, so that the table holds each output exactly once
 * however often the job is killed and restarted.
 */
@Component
@Profile(ResumableJob.PROFILE)
public class ResumableJob implements ApplicationRunner {

	/** The Spring profile that runs this job instead of the showcase. */
	public static final String PROFILE = "resumable";

	private static final Logger logger = LoggerFactory.getLogger(ResumableJob.class);

	private final ResumableStore store;

	private final RemoteScreening screening;

	private final DemoProperties properties;

	public ResumableJob(ResumableStore store, RemoteScreening screening, DemoProperties properties) {
		this.store = store;
		this.screening = screening;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.store.createTablesIfAbsent();
		Checkpoint start = this.store.checkpoint();
		long items = this.properties.items();
		if (start.position() == 0) {
			logger.info("{}: started at input 0 of {}", ResumablePipeline.NAME, grouped(items));
		}
		else {
			logger.info("{}: resumed at input {} of {}", ResumablePipeline.NAME, grouped(start.position()),
					grouped(items));
		}
		long progressNanos = this.properties.progressInterval().toNanos();
		long lastReport = System.nanoTime();
		Checkpoint checkpoint = start;
		try (Pipeline<Long, Output> pipeline = ResumablePipeline.build(this.screening, start.total());
				PipelineRun<Output> run = pipeline.apply(() -> PacedIterator.of(
						LongStream.rangeClosed(start.position() + 1, items).boxed().iterator(),
						this.properties.itemsPerSecond()))) {
			List<Output> chunk = new ArrayList<>(this.properties.chunkSize());
			while (run.hasNext()) {
				chunk.add(run.next());
				if (chunk.size() == this.properties.chunkSize()) {
					checkpoint = store(chunk, start.position() + run.position(), checkpoint);
					long now = System.nanoTime();
					if (now - lastReport >= progressNanos) {
						lastReport = now;
						logger.info("{}: stored position {}", ResumablePipeline.NAME, grouped(checkpoint.position()));
					}
				}
			}
			checkpoint = store(chunk, start.position() + run.position(), checkpoint);
		}
		logger.info("{}: done at input {}, {} outputs stored", ResumablePipeline.NAME, grouped(checkpoint.position()),
				grouped(this.store.outputCount()));
	}

	/** Stores the chunk with the position after its last output; empties it. */
	private Checkpoint store(List<Output> chunk, long position, Checkpoint previous) {
		long total = chunk.isEmpty() ? previous.total() : chunk.get(chunk.size() - 1).total();
		Checkpoint checkpoint = new Checkpoint(position, total);
		this.store.store(chunk, checkpoint);
		chunk.clear();
		return checkpoint;
	}

	/** The number with grouping commas, whatever the default locale: 412,332. */
	static String grouped(long number) {
		return String.format(Locale.ROOT, "%,d", number);
	}

}
