from mediahub import create_app

app = create_app()
