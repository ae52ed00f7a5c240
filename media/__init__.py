"""Media: the platform's Wagtail Image and Document models, storage selection, safe uploads, serving.

The custom models exist from the first migration because swapping them later is painful
(see ../shared/STYLE.md). Other apps reach them through ``wagtail.images.get_image_model()`` /
``wagtail.documents.get_document_model()`` or ``media.api``.
"""
