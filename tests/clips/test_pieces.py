"""The pure pieces of clip rendering: layout, captions of a passage, the
pictures, and reading ffmpeg's report."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, pairwise

import pytest
from PIL import Image, ImageStat

from mediahub.audio.ffmpeg import parse_encoder_list
from mediahub.clips import cards
from mediahub.clips.captions import MAX_CHARS, passage_captions
from mediahub.clips.inspect import parse_header
from mediahub.clips.layout import ClipShape, layout


@dataclass
class Cue:
    start_s: float
    end_s: float
    text: str


@pytest.mark.parametrize("shape", list(ClipShape))
def test_the_boxes_fit_in_the_frame_and_never_overlap(shape):
    lay = layout(shape)
    boxes = [lay.artwork, lay.titles, lay.wave, lay.captions]
    for box in boxes:
        assert box.x >= 0 and box.y >= 0 and box.right <= lay.width and box.bottom <= lay.height
        assert box.w % 2 == 0 and box.h % 2 == 0 and box.y % 2 == 0
    for a, b in combinations(boxes, 2):
        apart = a.right <= b.x or b.right <= a.x or a.bottom <= b.y or b.bottom <= a.y
        assert apart, (a, b)


def test_captions_are_cut_to_the_passage_and_moved_to_clip_time():
    cues = [Cue(0, 9, "before"), Cue(9, 12, "Guten Morgen"), Cue(12, 30, "danke")]
    got = passage_captions(cues, 10.0, 5.0)
    got_rows = [(c.start_s, c.end_s, c.text) for c in got]
    assert got_rows == [(0.0, 2.0, "Guten Morgen"), (2.0, 5.0, "danke")]


def test_long_cues_are_shared_out_in_short_captions_in_order():
    words = " ".join(f"Wort{n}" for n in range(60))
    got = passage_captions([Cue(0, 30, words)], 0, 30)
    assert len(got) > 3
    assert " ".join(c.text for c in got) == words
    assert all(len(c.text) <= MAX_CHARS for c in got)
    assert all(a.end_s <= b.start_s for a, b in pairwise(got))
    assert got[-1].end_s == pytest.approx(30, abs=0.01)


def test_slivers_and_empty_cues_give_no_caption():
    got = passage_captions([Cue(0, 10.1, "cut off"), Cue(11, 12, "   "), Cue(12, 13, "ja")], 10, 5)
    assert [c.text for c in got] == ["ja"]


def _ink(picture: Image.Image) -> float:
    """Share of bright (text) pixels."""
    grey = picture.convert("L").point(lambda v: 255 if v > 200 else 0)
    return ImageStat.Stat(grey).mean[0] / 255


@pytest.mark.parametrize(
    "text", ["Trauercafé", "مقهى الحزن", "Група підтримки", "Ομάδα", "Tiếng Việt"]
)
def test_captions_draw_every_script_we_have_a_face_for(text):
    band = cards.caption(layout(ClipShape.SQUARE), text)
    assert band.mode == "RGBA" and band.size == (1080, layout(ClipShape.SQUARE).captions.h)
    assert _ink(band) > 0.003


def test_an_empty_caption_is_transparent():
    band = cards.caption(layout(ClipShape.SQUARE), "  ")
    assert band.getextrema()[3] == (0, 0)


def test_a_title_longer_than_the_space_is_cut_with_an_ellipsis_not_drawn_over_the_wave():
    lay = layout(ClipShape.LANDSCAPE)
    art = Image.new("RGB", (100, 100), (0, 0, 0))
    frame = cards.background(lay, art, "Gruppe", "Sehr langer Titel " * 40)
    below = frame.crop((lay.titles.x, lay.titles.bottom, lay.titles.right, lay.wave.bottom))
    assert _ink(below) == 0


def test_the_background_is_dark_enough_for_white_text():
    for colour in [(255, 255, 255), (255, 255, 0), (0, 0, 0), (30, 200, 90)]:
        r, g, b = cards.background_colour(Image.new("RGB", (10, 10), colour))

        def lum(c: float) -> float:
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        contrast = 1.05 / (0.2126 * lum(r) + 0.7152 * lum(g) + 0.0722 * lum(b) + 0.05)
        assert contrast > 7


HEADER = """[info] Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'clip.mp4':
[info]   Metadata:
[info]     major_brand     : isom
[info]     compatible_brands: isomiso2avc1mp41
[info]     encoder         : Lavf61.7.100
[info]     location        : +52.52+013.40/
[info]   Duration: 00:00:06.40, start: 0.000000, bitrate: 2979 kb/s
[info]   Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 1080x1920 [SAR 1:1 DAR 9:16], 2841 kb/s, 25 fps (default)
[info]     Metadata:
[info]       handler_name    : VideoHandler
[info]   Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 130 kb/s
[info]     Metadata:
[info]       handler_name    : SoundHandler
[error] At least one output file must be specified
"""  # noqa: E501 - a captured log


def test_the_report_is_read_with_sizes_codecs_and_every_tag():
    found = parse_header(HEADER)
    assert (found.width, found.height, found.video_codec, found.audio_codec) == (
        1080, 1920, "h264", "aac"
    )  # fmt: skip
    assert found.personal_metadata == {"encoder": "Lavf61.7.100", "location": "+52.52+013.40/"}


def test_the_encoder_list_is_read():
    text = (
        "Encoders:\n V..... = Video\n ------\n"
        " V....D libx264              libx264 H.264 / AVC\n"
        " A....D aac                  AAC (Advanced Audio Coding)\n"
    )
    assert parse_encoder_list(text) == {"libx264", "aac"}
