"""Reading images and videos the way qwen-vl-utils 0.0.14 does, with PyAV instead of decord.

Pure Python + Pillow + PyAV + numpy: no torch here. Frames come back as uint8 arrays together with
the size the model layer must resize them to (that resize is torchvision's, as in the official
path). Every failure raises :class:`InputError` with a plain cause.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from . import config
from .errors import InputError

# No Pillow settings are changed here (MAX_IMAGE_PIXELS, LOAD_TRUNCATED_IMAGES, warning filters):
# they belong to the whole process. Sizes are checked below, before decoding, against our own limit.


# --- Sizes ----------------------------------------------------------------------------------------
def _round_to(x: float, factor: int) -> int:
    return round(x / factor) * factor


def smart_resize(
    height: int, width: int, min_pixels: float, max_pixels: float, factor: int = config.PIXEL_FACTOR
) -> tuple[int, int]:
    """Target (height, width): multiples of ``factor``, pixel count within bounds, aspect kept.

    Mirrors qwen-vl-utils ``smart_resize``; aspect ratios above 200 are refused as there.
    """
    ratio = max(height, width) / max(1, min(height, width))
    if ratio > config.MAX_ASPECT_RATIO:
        raise InputError(
            f"aspect ratio {ratio:.0f}:1 is above the {config.MAX_ASPECT_RATIO}:1 the model accepts"
        )
    h_bar = max(factor, _round_to(height, factor))
    w_bar = max(factor, _round_to(width, factor))
    if h_bar * w_bar > max_pixels:
        beta = math.sqrt((height * width) / max_pixels)
        h_bar = math.floor(height / beta / factor) * factor
        w_bar = math.floor(width / beta / factor) * factor
    elif h_bar * w_bar < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h_bar = math.ceil(height * beta / factor) * factor
        w_bar = math.ceil(width * beta / factor) * factor
    return h_bar, w_bar


def visual_tokens(height: int, width: int) -> int:
    """LLM tokens of one resized image or one temporal group of a video."""
    return (height // config.PIXEL_FACTOR) * (width // config.PIXEL_FACTOR)


# --- File kinds -----------------------------------------------------------------------------------
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff")
VIDEO_SUFFIXES = (".mp4", ".mov", ".webm", ".mkv", ".avi", ".m4v")


def kind_of_file(path: str | os.PathLike) -> str:
    """``image`` or ``video`` from the file name; anything else is refused."""
    suffix = Path(path).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in VIDEO_SUFFIXES:
        return "video"
    raise InputError(
        f"{os.path.basename(path)}: unsupported file type {suffix or '(none)'}; "
        f"images {', '.join(IMAGE_SUFFIXES)} or videos {', '.join(VIDEO_SUFFIXES)}"
    )


# --- Sources --------------------------------------------------------------------------------------
def reason(exc: BaseException) -> str:
    """A library's error message without the server's file paths (which say nothing to a visitor
    and should not be shown to one)."""
    text = str(exc) or type(exc).__name__
    return re.sub(r"(?:[A-Za-z]:)?[/\\][^\s'\"]*[/\\]([^/\\\s'\"]+)", r"\1", text)


def describe(source: Any) -> str:
    """A short, safe name for a media source, for messages and labels."""
    if isinstance(source, (str, os.PathLike)):
        return os.path.basename(os.fspath(source)) or os.fspath(source)
    if isinstance(source, Image.Image):
        return f"<{source.width}x{source.height} image>"
    return f"<{type(source).__name__}>"


def local_path(source: str | os.PathLike) -> Path:
    """The existing local file a string names; URLs are not fetched."""
    text = os.fspath(source)
    if text.startswith(("http://", "https://")):
        raise InputError(f"URLs are not fetched ({text[:80]}); upload the file instead")
    if text.startswith("file://"):
        text = text[len("file://") :]
    path = Path(text)
    if not path.is_file():
        raise InputError(f"file not found: {describe(text)}")
    if path.stat().st_size == 0:
        raise InputError(f"file is empty: {describe(text)}")
    return path


# --- Images ---------------------------------------------------------------------------------------
def open_image(source: Any) -> Image.Image:
    """Decode a path or PIL image into an upright RGB image (EXIF applied, alpha on white)."""
    if isinstance(source, Image.Image):
        image = source
    elif isinstance(source, (str, os.PathLike)):
        path = local_path(source)
        try:
            image = Image.open(path)
        except Image.DecompressionBombError as exc:  # Pillow's own check: ours would refuse it too
            found = re.search(r"\((\d+) pixels\)", str(exc))
            size = f" ({int(found.group(1)):,} pixels)" if found else ""
            raise InputError(f"{describe(source)} is{size} above the "
                             f"{config.MAX_IMAGE_PIXELS // 1_000_000} megapixel limit") from None
        except (UnidentifiedImageError, OSError) as exc:
            raise InputError(f"{describe(source)} is not a readable image ({reason(exc)})") from None
    else:
        raise InputError(f"unsupported image type {type(source).__name__}; give a path or PIL image")
    if image.width * image.height > config.MAX_IMAGE_PIXELS:
        raise InputError(
            f"{describe(source)} is {image.width}x{image.height}, above the "
            f"{config.MAX_IMAGE_PIXELS // 1_000_000} megapixel limit"
        )
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
        return to_rgb(image)
    except (OSError, ValueError, SyntaxError) as exc:
        raise InputError(f"{describe(source)} is damaged or truncated ({reason(exc)})") from None


def to_rgb(image: Image.Image) -> Image.Image:
    """RGB as qwen-vl-utils makes it, plus what it gets wrong: any alpha goes on white, 16-bit
    greyscale is scaled rather than clipped."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float64)
        peak = 65535.0 if array.max() > 255 else 255.0
        image = Image.fromarray(np.clip(array / peak * 255.0 + 0.5, 0, 255).astype(np.uint8))
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.split()[3])
        return background
    return image.convert("RGB")


def load_image(
    source: Any,
    min_pixels: int = config.IMAGE_MIN_PIXELS,
    max_pixels: int = config.IMAGE_MAX_PIXELS,
    factor: int = config.PIXEL_FACTOR,
) -> Image.Image:
    """An image resized as qwen-vl-utils ``fetch_image`` does (PIL bicubic to multiples of 32)."""
    image = open_image(source)
    height, width = smart_resize(image.height, image.width, min_pixels, max_pixels, factor)
    return image.resize((width, height), Image.Resampling.BICUBIC)


# --- Videos ---------------------------------------------------------------------------------------
@dataclass
class VideoClip:
    """Sampled frames of one video and what the prompt needs to describe them.

    ``frames``: uint8 [n_frames, H, W, 3], n_frames even. ``size``: (height, width) the frames
    must be resized to. ``indices`` and ``fps`` give the timestamps written before each group.
    """

    frames: np.ndarray
    size: tuple[int, int]
    indices: list[int]
    fps: float
    name: str = ""
    total_frames: int = 0
    pixel_bounds: tuple[float, float] = (0.0, 0.0)  # per frame (min, max), from which ``size`` came

    @property
    def groups(self) -> int:
        return len(self.frames) // config.FRAME_FACTOR

    @property
    def tokens_per_group(self) -> int:
        return visual_tokens(*self.size)

    def timestamps(self) -> list[float]:
        """Seconds of each temporal group: the mean of its first and last frame's time."""
        times = [i / self.fps for i in self.indices]
        step = config.FRAME_FACTOR
        return [(times[i] + times[i + step - 1]) / 2 for i in range(0, len(times), step)]


def linspace_indices(start: int, end: int, count: int) -> list[int]:
    """``torch.linspace(start, end, count).round()`` reproduced exactly, without torch.

    torch works in float32: ``step = (end - start) / (count - 1)`` in float32, then
    ``start + step * i`` for the first half and ``end - step * (count - 1 - i)`` for the rest, each
    computed as one fused multiply-add (rounded once to float32), then rounded half to even.
    Rounding the product and the sum separately is off by one frame in about 10% of long clips.
    """
    if count == 1:
        return [start]
    step = np.float64(np.float32(end - start) / np.float32(count - 1))
    i = np.arange(count, dtype=np.float64)
    # float64 holds step * i and the sum exactly here, so one cast to float32 = one fused rounding.
    values = np.where(
        i < count // 2,
        np.float64(np.float32(start)) + step * i,
        np.float64(np.float32(end)) - step * (count - 1 - i),
    ).astype(np.float32)
    return [int(v) for v in np.round(values)]


def frame_count(total_frames: int, video_fps: float, fps: float, max_frames: int) -> int:
    """Frames to sample, as qwen-vl-utils ``smart_nframes``: duration x fps, at least 4, at most
    min(max_frames, total), floored to a multiple of 2. Clips too short for that get 2."""
    factor = config.FRAME_FACTOR
    min_frames = math.ceil(config.VIDEO_MIN_FRAMES / factor) * factor
    max_frames = math.floor(max_frames / factor) * factor
    wanted = total_frames / video_fps * fps
    count = min(min(max(wanted, min_frames), max_frames), total_frames)
    return max(factor, math.floor(count / factor) * factor)


def frame_pixel_bounds(n_frames: int, total_pixels: float) -> tuple[float, float]:
    """(min, max) pixels per frame for the second, torchvision resize of qwen-vl-utils."""
    min_pixels = config.VIDEO_FRAME_MIN_PIXELS
    max_pixels = max(
        min(config.VIDEO_FRAME_MAX_PIXELS, total_pixels / n_frames * config.FRAME_FACTOR),
        int(min_pixels * 1.05),
    )
    return min_pixels, max_pixels


def check_video_options(fps: Any, max_frames: Any) -> tuple[float, int]:
    """Validated (fps, max_frames); raises InputError naming the bad option."""
    try:
        fps_value = float(config.VIDEO_DEFAULT_FPS if fps is None else fps)
    except (TypeError, ValueError):
        raise InputError(f"fps must be a number, got {fps!r}") from None
    if not (math.isfinite(fps_value) and 0 < fps_value <= 30):
        raise InputError(f"fps must be in (0, 30], got {fps!r}")
    frames = config.VIDEO_DEFAULT_MAX_FRAMES if max_frames is None else max_frames
    if isinstance(frames, bool) or not isinstance(frames, (int, np.integer, float)) or int(
        frames
    ) != frames:
        raise InputError(f"max_frames must be an integer, got {max_frames!r}")
    if not 2 <= int(frames) <= 768:
        raise InputError(f"max_frames must be between 2 and 768, got {max_frames!r}")
    return fps_value, int(frames)


def load_video(source: Any, fps: Any = None, max_frames: Any = None) -> VideoClip:
    """A video file or a list of frames, sampled as the official path samples it."""
    fps_value, frames_cap = check_video_options(fps, max_frames)
    if isinstance(source, (list, tuple)):
        return _load_frame_list(list(source), frames_cap)
    if isinstance(source, (str, os.PathLike)):
        return _load_video_file(local_path(source), fps_value, frames_cap)
    raise InputError(
        f"unsupported video type {type(source).__name__}; give a file path or a list of frames"
    )


def _open_container(path: Path):
    import av

    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise InputError(f"{path.name} is not a readable video ({reason(exc)})") from None
    if not container.streams.video:
        container.close()
        raise InputError(f"{path.name} has no video stream")
    return container


@dataclass
class FrameTable:
    """Every frame's presentation timestamp in display order, and the keyframes', from the
    container's packets alone (no decoding). ``complete`` is False when a packet had no timestamp
    or demuxing failed part-way (a damaged file)."""

    pts: list[int]
    keyframes: list[int]
    complete: bool


def _frame_table(container, stream) -> FrameTable:
    import av

    pts: list[int] = []
    keyframes: list[int] = []
    complete = True
    try:
        for packet in container.demux(stream):
            if not packet.size:  # the demuxer's final flush packet
                continue
            if packet.pts is None:
                complete = False
                break
            pts.append(packet.pts)
            if packet.is_keyframe:
                keyframes.append(packet.pts)
    except (av.FFmpegError, OSError):
        complete = False
    container.seek(0)
    return FrameTable(sorted(pts), sorted(keyframes), complete)


def _load_video_file(path: Path, fps: float, max_frames: int) -> VideoClip:
    import av

    container = _open_container(path)
    try:
        stream = container.streams.video[0]
        video_fps = float(stream.average_rate or stream.guessed_rate or 0)
        if video_fps <= 0:
            raise InputError(f"{path.name} does not say its frame rate")
        if stream.frames > 0:  # too long is refused before every packet is read
            _check_length(path.name, int(stream.frames), video_fps)
        table = _frame_table(container, stream)
        total = int(stream.frames) or len(table.pts)  # the header's count, as decord reads it
        if total <= 0:
            raise InputError(f"{path.name} contains no frames")
        _check_length(path.name, total, video_fps)
        count = frame_count(total, video_fps, fps, max_frames)
        plan = plan_frames(path.name, stream.codec_context.width, stream.codec_context.height, count)
        if plan.shrink_to is not None:  # one huge frame in flight, not one per decoder thread
            stream.codec_context.thread_count = 1
        indices = linspace_indices(0, total - 1, min(count, total))
        if table.complete and table.keyframes:
            frames = _decode_by_seeking(container, stream, indices, plan, table)
        else:
            frames = _decode_in_order(container, stream, indices, plan)
    except av.FFmpegError as exc:
        raise InputError(f"{path.name} could not be decoded ({reason(exc)})") from None
    finally:
        container.close()
    if len(indices) < count:  # a one-frame clip: repeat it to fill the temporal patch
        indices += [indices[-1]] * (count - len(indices))
        frames = np.concatenate([frames, frames[-1:].repeat(count - len(frames), axis=0)])
    bounds = frame_pixel_bounds(len(frames), config.VIDEO_FILE_TOTAL_PIXELS)
    size = plan.shrink_to or smart_resize(*frames.shape[1:3], *bounds)
    return VideoClip(frames, size, indices, video_fps, path.name, total, bounds)


@dataclass
class FramePlan:
    """How sampled frames are kept, settled from the stream's declared size before decoding.

    ``shrink_to``: (height, width) each frame is resized to as it is decoded, for frames so large
    that keeping them whole would cost more memory than the budget; None keeps them as decoded
    (the official path's pixels exactly)."""

    name: str
    width: int
    height: int
    shrink_to: tuple[int, int] | None

    def array(self, frame: Any) -> np.ndarray:
        """One decoded PyAV frame as uint8 [H, W, 3], refused if larger than declared."""
        if frame.width * frame.height > max(1, self.width * self.height):
            raise InputError(f"{self.name} has a {frame.width}x{frame.height} frame in a stream "
                             f"declared {self.width}x{self.height}")
        if self.shrink_to is None:
            return frame.to_ndarray(format="rgb24")
        height, width = self.shrink_to
        whole = Image.fromarray(frame.to_ndarray(format="rgb24"))  # shares the array: one copy
        return np.asarray(whole.resize((width, height), Image.Resampling.BICUBIC))


def plan_frames(name: str, width: int, height: int, count: int) -> FramePlan:
    """Check a video's frame size and visual tokens before decoding: frames above the pixel
    limit, or ``count`` frames needing more tokens than any model's context, are refused."""
    if width <= 0 or height <= 0:
        raise InputError(f"{name} does not say its frame size")
    if width * height > config.MAX_VIDEO_FRAME_PIXELS:
        raise InputError(f"{name} has {width}x{height} frames, above the "
                         f"{config.MAX_VIDEO_FRAME_PIXELS // 1_000_000} megapixel limit")
    size = smart_resize(height, width, *frame_pixel_bounds(count, config.VIDEO_FILE_TOTAL_PIXELS))
    tokens = count // config.FRAME_FACTOR * visual_tokens(*size)
    if tokens > config.MAX_VIDEO_TOKENS:
        raise InputError(f"{name}: {count} frames at {size[1]}x{size[0]} need {tokens} visual "
                         f"tokens, more than the models' {config.MAX_VIDEO_TOKENS}; lower fps or "
                         "max_frames")
    large = width * height > config.VIDEO_FRAME_KEEP_PIXELS
    if large or count * width * height * 3 > config.VIDEO_KEPT_BYTES:
        return FramePlan(name, width, height, size)
    return FramePlan(name, width, height, None)


def _check_length(name: str, total: int, video_fps: float) -> None:
    if total / video_fps > config.MAX_VIDEO_SECONDS:
        raise InputError(f"{name} lasts {total / video_fps / 60:.0f} min; the limit is "
                         f"{config.MAX_VIDEO_SECONDS // 60} min")


def _decode_by_seeking(container, stream, indices: list[int], plan: FramePlan,
                       table: FrameTable) -> np.ndarray:
    """Decode only around the sampled frames: jump to the keyframe before a frame whenever that
    skips decoding, so the cost follows the number of samples, not the clip's length."""
    import bisect

    name = plan.name
    wanted = sorted(set(indices))
    if wanted[-1] >= len(table.pts):
        raise InputError(f"{name} is damaged or truncated: frame {len(table.pts)} of "
                         f"{wanted[-1] + 1} does not decode")
    by_pts = {table.pts[i]: i for i in wanted}

    def fill(kept: dict[int, np.ndarray]) -> None:
        frames = None
        last_pts: int | None = None
        for index in wanted:
            if index in kept:
                continue
            target = table.pts[index]
            key_before = table.keyframes[max(0, bisect.bisect_right(table.keyframes, target) - 1)]
            if frames is None or last_pts is None or last_pts >= target or key_before > last_pts:
                container.seek(target, stream=stream, backward=True, any_frame=False)
                frames = container.decode(stream)
            for frame in frames:
                last_pts = frame.pts
                if frame.pts in by_pts and by_pts[frame.pts] not in kept:
                    kept[by_pts[frame.pts]] = plan.array(frame)
                if frame.pts is None or frame.pts >= target:
                    break

    return _decoded(fill, indices, name)


def _decode_in_order(container, stream, indices: list[int], plan: FramePlan) -> np.ndarray:
    """Decode from the start, keeping only the sampled indices (each may repeat): for files
    whose packets lack timestamps, where seeking cannot be trusted."""
    name = plan.name
    wanted = sorted(set(indices))

    def fill(kept: dict[int, np.ndarray]) -> None:
        for position, frame in enumerate(container.decode(stream)):
            if position in wanted:
                kept[position] = plan.array(frame)
            if position >= wanted[-1]:
                break

    return _decoded(fill, indices, name)


def _decoded(fill: Callable[[dict[int, np.ndarray]], None], indices: list[int], name: str) -> np.ndarray:
    """``fill(kept)`` decodes sampled frames into ``kept`` (index -> frame). A decoder failure
    after some frames ends the decoding there (the missing frame is then named); before any is
    an error of the file's."""
    kept: dict[int, np.ndarray] = {}
    try:
        fill(kept)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoder failure is the file's fault
        if not kept:
            raise InputError(f"{name} could not be decoded ({reason(exc)})") from None
    return _stack_sampled(kept, indices, name)


def _stack_sampled(kept: dict[int, np.ndarray], indices: list[int], name: str) -> np.ndarray:
    """The decoded frames in sampling order; a sampled frame that did not decode is an error."""
    missing = [i for i in sorted(set(indices)) if i not in kept]
    if missing:
        raise InputError(f"{name} is damaged or truncated: frame {missing[0]} of {max(indices) + 1} "
                         "does not decode")
    if len({kept[i].shape for i in kept}) > 1:
        raise InputError(f"{name} changes frame size part-way; re-encode it at one size")
    return np.stack([kept[i] for i in indices])


def _load_frame_list(frames: list[Any], max_frames: int) -> VideoClip:
    if not frames:
        raise InputError("the list of video frames is empty")
    if len(frames) > max_frames:
        keep = np.linspace(0, len(frames) - 1, max_frames).astype(int)
        frames = [frames[i] for i in keep]
    images = [
        load_image(f, config.FRAME_IMAGE_MIN_PIXELS, config.FRAME_IMAGE_MAX_PIXELS, config.FRAME_IMAGE_FACTOR)
        for f in frames
    ]
    if len({im.size for im in images}) > 1:
        raise InputError("the frames of a video must all have the same size")
    if len(images) % config.FRAME_FACTOR:
        images.append(images[-1])
    array = np.stack([np.asarray(im) for im in images])
    bounds = frame_pixel_bounds(len(array), config.FRAME_LIST_TOTAL_PIXELS)
    size = smart_resize(array.shape[1], array.shape[2], *bounds)
    indices = list(range(len(array)))
    return VideoClip(array, size, indices, config.FRAME_LIST_SAMPLE_FPS, f"{len(frames)} frames",
                     pixel_bounds=bounds)


def first_frame(path: str) -> Image.Image:
    """The first decodable frame of a video, refused before decoding if its frames are too large."""
    import av

    name = os.path.basename(path)
    try:
        with av.open(path) as container:
            context = container.streams.video[0].codec_context
            plan = plan_frames(name, context.width, context.height, config.FRAME_FACTOR)
            for frame in container.decode(video=0):
                return Image.fromarray(FramePlan(name, plan.width, plan.height, None).array(frame))
    except (av.FFmpegError, IndexError) as exc:
        raise InputError(f"{name} could not be decoded ({reason(exc)})") from None
    raise InputError(f"{name} contains no frames")


def check_readable(path: str | os.PathLike, kind: str) -> None:
    """InputError unless ``path`` opens as an ``image`` or a ``video`` with a video stream: its
    header only (nothing decoded), to name a broken file before any work is spent on a set."""
    name = os.path.basename(path)
    if kind == "image":
        try:
            Image.open(path).close()  # reads the header: format and size
        except Image.DecompressionBombError:
            return  # readable; its size is refused, with the numbers, when it is embedded
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise InputError(f"{name} is not a readable image ({reason(exc)})") from None
        return
    _open_container(Path(path)).close()


# --- Visual tokens --------------------------------------------------------------------------------

def image_tokens(image: Image.Image) -> int:
    return visual_tokens(image.height, image.width)


def video_tokens(clip: VideoClip) -> int:
    return clip.groups * clip.tokens_per_group


def count_visual_tokens(images: Sequence[Image.Image], videos: Sequence[VideoClip]) -> int:
    return sum(map(image_tokens, images)) + sum(map(video_tokens, videos))


VISUAL_TOKENS: dict[str, Callable[[Any], int]] = {"image": image_tokens, "video": video_tokens}


def estimated_visual_tokens(path: str, fps: Any = None, max_frames: Any = None) -> int:
    """About how many visual tokens a file costs, from its header alone (nothing decoded): to
    order work cheapest first and to ask ZeroGPU for the seconds it needs; a video's ``fps`` and
    ``max_frames`` as the input gives them. 0 when it cannot be read (the error comes when it is
    embedded)."""
    try:
        if kind_of_file(path) == "image":
            with Image.open(path) as image:
                height, width = smart_resize(image.height, image.width, config.IMAGE_MIN_PIXELS,
                                             config.IMAGE_MAX_PIXELS)
            return visual_tokens(height, width)
        import av

        with av.open(path) as container:
            stream = container.streams.video[0]
            rate = float(stream.average_rate or 0) or 1.0
            total = int(stream.frames) or 1
            count = frame_count(total, rate, float(fps or config.VIDEO_DEFAULT_FPS),
                                int(max_frames or config.VIDEO_DEFAULT_MAX_FRAMES))
            size = smart_resize(stream.height, stream.width, *frame_pixel_bounds(count, config.VIDEO_FILE_TOTAL_PIXELS))
        return count // config.FRAME_FACTOR * visual_tokens(*size)
    except Exception:  # noqa: BLE001 - an estimate only
        return 0
