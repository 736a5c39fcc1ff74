from yiwang.cli import app

app(prog_name="yiwang")
