package io.dic4j.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A folder that executors write files into, on any file system Hadoop reaches (local or shared disk, HDFS, S3...).
 * Each file is written whole or not at all: to a temporary name beside it, then renamed over it, so a task that is
 * retried, or runs twice speculatively, leaves one whole file under the same name.
 */
final class OutputFolder implements Serializable {

    /** The folder's qualified URI, e.g. {@code file:/data/out}. */
    private final String root;
    /** The executor's handle on it, opened on first write. */
    private transient FileSystem fs;

    private OutputFolder(String root) {
        this.root = root;
    }

    /** {@code folder} qualified against the driver's file system (a relative path is the driver's working folder). */
    static OutputFolder of(String folder, Configuration conf) throws IOException {
        Path path = new Path(folder);
        return new OutputFolder(path.getFileSystem(conf).makeQualified(path).toString());
    }

    String root() {
        return root;
    }

    /** Writes {@code bytes} as {@code name} (a relative path, which may hold folders). */
    void write(String name, byte[] bytes, String attempt) throws IOException {
        Path target = new Path(root, name);
        FileSystem fs = fileSystem();
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + attempt + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(bytes);
        }
        // HDFS's rename does not replace an existing file, the local one does
        if (!fs.rename(tmp, target) && !(fs.delete(target, false) && fs.rename(tmp, target))) {
            fs.delete(tmp, false);
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    /** Removes {@code name} where it exists: an output of an input whose other outputs could not be written. */
    void delete(String name) throws IOException {
        fileSystem().delete(new Path(root, name), false);
    }

    /**
     * The folder's file system from the executor's Hadoop configuration (its {@code core-site.xml}); on local disk
     * without the checksum files ({@code .name.crc}) Hadoop's local file system would write beside each file.
     */
    private synchronized FileSystem fileSystem() throws IOException {
        if (fs == null) {
            FileSystem any = new Path(root).getFileSystem(new Configuration());
            fs = any instanceof LocalFileSystem local ? local.getRaw() : any;
        }
        return fs;
    }
}
