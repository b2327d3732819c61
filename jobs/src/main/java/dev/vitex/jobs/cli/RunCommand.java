package dev.vitex.jobs.cli;

import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.driver.AttributionRun;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code vitex run}: explains a dataset. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Explains a dataset: attributions Parquet out.%nExample: vitex run --input images/ "
                + "--model models/vit-shapes-tiny/vit-shapes-tiny.json --output out/ --methods saliency,occlusion")
final class RunCommand extends JobCommand {
    @Override
    public Integer call() {
        JobConfig config = options.resolve(Map.of(), List.of());
        new AttributionRun(config, command(), parent.out).execute();
        return ExitStatus.OK;
    }
}
